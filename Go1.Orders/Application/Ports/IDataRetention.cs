namespace Go1.Orders.Application.Ports;

/// <summary>Rows kept only for a while: published outbox messages and idempotency keys. Each call deletes in batches and returns how many rows went.</summary>
public interface IDataRetention
{
    Task<int> DeletePublishedOutboxAsync(DateTimeOffset publishedBefore, CancellationToken cancellationToken);

    Task<int> DeleteIdempotencyKeysAsync(DateTimeOffset createdBefore, CancellationToken cancellationToken);
}
