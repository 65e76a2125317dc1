namespace Go1.Orders.Application.Ports;

/// <summary>Orders that are not final yet, for sweeps that check each one (the saga reconciler).</summary>
public interface IOpenOrders
{
    /// <summary>Up to <paramref name="limit"/> open orders created before <paramref name="createdBefore"/>, in id order after <paramref name="afterId"/>.</summary>
    Task<IReadOnlyList<RideOrder>> ListAsync(DateTimeOffset createdBefore, Guid? afterId, int limit, CancellationToken cancellationToken);
}
