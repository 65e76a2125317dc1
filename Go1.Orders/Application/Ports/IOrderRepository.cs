using Go1.Orders.Application.Events;

namespace Go1.Orders.Application.Ports;

public interface IOrderRepository
{
    /// <summary>
    /// Stores the order and its event in one transaction. With a claim, an order already stored under
    /// the same (caller, key) is returned instead and nothing is written.
    /// </summary>
    Task<StoredOrder> CreateAsync(RideOrder order, OrderCreated created, IdempotencyClaim? claim, CancellationToken cancellationToken);

    Task<RideOrder?> FindAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>
    /// Stores the order's status, sub-status, driver and times if it still has the version it was read at
    /// (the database then bumps the version); otherwise throws <see cref="ConcurrentUpdateException"/>.
    /// </summary>
    Task UpdateAsync(RideOrder order, CancellationToken cancellationToken);

    /// <summary>The order stored under an idempotency key, with the hash of the request that created it.</summary>
    Task<(RideOrder Order, string RequestHash)?> FindByIdempotencyKeyAsync(string callerId, string key, CancellationToken cancellationToken);
}

/// <summary>
/// An Idempotency-Key as sent by a caller, with a hash of the request body it came with and, for keys stored before the
/// hash became canonical, the hash those were stored with.
/// </summary>
public sealed record IdempotencyClaim(string CallerId, string Key, string RequestHash, string? LegacyRequestHash = null)
{
    public bool Matches(string storedHash) => storedHash == RequestHash || storedHash == LegacyRequestHash;
}

/// <summary>The stored order; <see cref="Replayed"/> when it was created by an earlier request with the same key.</summary>
public sealed record StoredOrder(RideOrder Order, bool Replayed, string? RequestHash = null);
