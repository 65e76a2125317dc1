using Go1.Orders.ReadModel;

namespace Go1.Orders.Application.Ports;

/// <summary>One guarded cache write: the order's document at <paramref name="Version"/>, or its deletion when <paramref name="Order"/> is null.</summary>
public readonly record struct OrderCacheWrite(Guid OrderId, long Version, OrderDocument? Order)
{
    public static OrderCacheWrite Upsert(OrderDocument order) => new((order ?? throw new ArgumentNullException(nameof(order))).Id, order.Version, order);

    public static OrderCacheWrite Delete(Guid orderId, long version) => new(orderId, version, null);
}
