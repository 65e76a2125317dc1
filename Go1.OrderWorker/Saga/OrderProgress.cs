namespace Go1.OrderWorker.Saga;

/// <summary>
/// The stored order's status (and driver, once assigned) as the starter read it. A saga started for a final order
/// does nothing; one started for an order that got further without it (its workflow was lost) resumes from there.
/// </summary>
public sealed record OrderProgress(string Status, Party? Driver)
{
    public static OrderProgress Of(RideOrder order)
    {
        ArgumentNullException.ThrowIfNull(order);
        return new(WireNames.Of(order.Status), order.Status == OrderStatus.Assigned ? order.Driver : null);
    }

    public bool IsFinal() => WireNames.TryParse<OrderStatus>(Status, out var status) && OrderStatusMachine.IsFinal(status);
}
