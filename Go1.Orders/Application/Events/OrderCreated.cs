namespace Go1.Orders.Application.Events;

/// <summary>
/// Published to <see cref="Topic"/> (key = order id) through the outbox once an order is stored.
/// It carries what the workflow needs to start without reading the order back.
/// </summary>
public sealed record OrderCreated(
    Guid EventId,
    Guid OrderId,
    DateTimeOffset OccurredAt,
    string Status,
    string ServiceId,
    string ServiceType,
    string PaymentMethod,
    string PaymentType,
    string? CustomerId,
    string? DriverId,
    int AutoCancelInterval,
    bool IsSchedule,
    DateTimeOffset OrderTime,
    string WorkflowId)
{
    public const string Topic = "orders.events";
    public const string EventType = "OrderCreated";

    public static OrderCreated For(RideOrder order, Guid eventId)
    {
        ArgumentNullException.ThrowIfNull(order);
        return new(
            eventId, order.Id, order.CreatedAt, WireNames.Of(order.Status), order.Service.Id, WireNames.Of(order.Service.Type),
            WireNames.Of(order.Payment.Method), WireNames.Of(order.Payment.PaymentType), order.Customer?.Id, order.Driver?.Id,
            (int)order.Service.AutoCancelInterval.TotalSeconds, order.IsSchedule, order.OrderTime, order.WorkflowId);
    }
}
