namespace Go1.Orders.Domain;

/// <summary>Which client the caller uses; it decides who the order's customer and driver are.</summary>
public enum Audience
{
    AdminPortal,
    DriverApp,
    UserApp,
}
