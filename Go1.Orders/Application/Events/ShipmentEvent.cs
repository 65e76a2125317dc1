namespace Go1.Orders.Application.Events;

/// <summary>On <see cref="Topic"/>, from the shipment system: <c>{order_id, status: DELIVERED|CANCELED}</c>.</summary>
public sealed record ShipmentEvent(Guid? OrderId, string? Status)
{
    public const string Topic = "shipment-events";
    public const string Delivered = "DELIVERED";
    public const string Canceled = "CANCELED";
}
