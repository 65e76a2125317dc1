using Go1.Orders.ReadModel;

namespace Go1.CdcSync;

/// <summary>One committed change to an order row, whichever change source saw it.</summary>
/// <param name="Kind">An upsert or a delete.</param>
/// <param name="OrderId">The order the row belongs to.</param>
/// <param name="Order">The row after the change (upserts only).</param>
/// <param name="Version">The row's version: after the change for upserts, the deleted row's for deletes.</param>
/// <param name="CommittedAt">When the source says the transaction committed (for lag), when it says.</param>
/// <param name="Problem">Why the row could not be read (unreadable changes only).</param>
public sealed record OrderChange(OrderChangeKind Kind, Guid OrderId, long Version, OrderDocument? Order, DateTimeOffset? CommittedAt, string? Problem = null)
{
    public static OrderChange Upsert(OrderDocument order, DateTimeOffset? committedAt)
    {
        ArgumentNullException.ThrowIfNull(order);
        return new(OrderChangeKind.Upsert, order.Id, order.Version, order, committedAt);
    }

    public static OrderChange Delete(Guid orderId, long version, DateTimeOffset? committedAt) =>
        new(OrderChangeKind.Delete, orderId, version, null, committedAt);

    public static OrderChange Unreadable(Guid orderId, long version, string problem, DateTimeOffset? committedAt) =>
        new(OrderChangeKind.Unreadable, orderId, version, null, committedAt, problem);
}
