namespace Go1.Orders.Application.Events;

/// <summary>On <see cref="Topic"/>, from the dispatch system: <c>{order_id, dispatch_status, driver: {id, phone, name}}</c>.</summary>
public sealed record DispatchEvent(Guid? OrderId, string? DispatchStatus, DispatchEvent.DriverInfo? Driver)
{
    public const string Topic = "dispatch-events";

    /// <summary>The status that means a driver took the order; others are not ours to act on.</summary>
    public const string Assigned = "ASSIGNED";

    public sealed record DriverInfo(string? Id, string? Phone, string? Name);
}
