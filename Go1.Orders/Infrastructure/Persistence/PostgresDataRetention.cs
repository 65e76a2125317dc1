using Dapper;
using Go1.Orders.Application.Ports;
using Npgsql;

namespace Go1.Orders.Infrastructure.Persistence;

/// <summary>
/// Deletes expired rows a batch at a time, each batch its own short transaction that skips rows another replica's
/// sweep holds, so a large backlog never takes long locks nor blocks the writers.
/// </summary>
public sealed class PostgresDataRetention(NpgsqlDataSource dataSource) : IDataRetention
{
    private const int BatchSize = 5000;

    public Task<int> DeletePublishedOutboxAsync(DateTimeOffset publishedBefore, CancellationToken cancellationToken) => DeleteAsync("""
        DELETE FROM outbox WHERE event_id IN (
            SELECT event_id FROM outbox WHERE published_at < @before LIMIT @batch FOR UPDATE SKIP LOCKED)
        """, publishedBefore, cancellationToken);

    public Task<int> DeleteIdempotencyKeysAsync(DateTimeOffset createdBefore, CancellationToken cancellationToken) => DeleteAsync("""
        DELETE FROM idempotency_keys WHERE (caller_id, key) IN (
            SELECT caller_id, key FROM idempotency_keys WHERE created_at < @before LIMIT @batch FOR UPDATE SKIP LOCKED)
        """, createdBefore, cancellationToken);

    private Task<int> DeleteAsync(string sql, DateTimeOffset before, CancellationToken cancellationToken) =>
        PostgresAvailability.GuardAsync(async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var total = 0;
            int deleted;
            do
            {
                deleted = await connection.ExecuteAsync(new CommandDefinition(sql, new { before = before.UtcDateTime, batch = BatchSize }, cancellationToken: cancellationToken));
                total += deleted;
            }
            while (deleted == BatchSize);

            return total;
        });
}
