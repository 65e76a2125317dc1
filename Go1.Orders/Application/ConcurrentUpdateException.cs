namespace Go1.Orders.Application;

/// <summary>The order changed since it was read; read it again and retry.</summary>
public sealed class ConcurrentUpdateException(Guid orderId, long expectedVersion)
    : Exception($"Order {orderId} is no longer at version {expectedVersion}.");
