using Go1.Orders.ReadModel;

namespace Go1.Orders.Application.Ports;

/// <summary>
/// The order read model cache. Every write is version-guarded: an older snapshot never replaces a newer
/// one, and a deletion leaves a short tombstone so a late fill cannot bring a deleted order back.
/// </summary>
public interface IOrderCache
{
    /// <summary>The cached order; null on a miss or a tombstone.</summary>
    Task<OrderDocument?> GetAsync(Guid orderId, CancellationToken cancellationToken);

    /// <summary>Stores <paramref name="order"/> unless the cache holds the same or a newer version; true when stored.</summary>
    Task<bool> SetIfNewerAsync(OrderDocument order, CancellationToken cancellationToken);

    /// <summary>Replaces the entry by a tombstone of <paramref name="version"/> unless a newer version is cached; true when stored.</summary>
    Task<bool> DeleteAsync(Guid orderId, long version, CancellationToken cancellationToken);

    /// <summary>
    /// Applies many writes in one round trip, each through the same guard as <see cref="SetIfNewerAsync"/> (an upsert)
    /// or <see cref="DeleteAsync"/> (a delete); element <c>i</c> of the result says whether write <c>i</c> was stored.
    /// </summary>
    Task<bool[]> WriteAllAsync(IReadOnlyList<OrderCacheWrite> writes, CancellationToken cancellationToken);
}
