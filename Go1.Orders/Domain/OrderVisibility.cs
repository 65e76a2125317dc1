namespace Go1.Orders.Domain;

/// <summary>Who may see an order: the aggregate and the read model answer with this one rule.</summary>
public static class OrderVisibility
{
    public static bool Allows(Caller caller, string createdBy, string? customerId, string? driverId, string? partnerId)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.Audience switch
        {
            Audience.AdminPortal => caller.PartnerId is null || caller.PartnerId == partnerId,
            Audience.UserApp => createdBy == caller.UserId || customerId == caller.UserId,
            Audience.DriverApp => createdBy == caller.UserId || driverId == caller.UserId,
            _ => false,
        };
    }
}
