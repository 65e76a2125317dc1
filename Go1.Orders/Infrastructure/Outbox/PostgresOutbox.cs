using Dapper;
using Go1.Orders.Application.Ports;
using Go1.Orders.Infrastructure.Persistence;
using Npgsql;

namespace Go1.Orders.Infrastructure.Outbox;

/// <summary>The <c>outbox</c> table: claims with <c>FOR UPDATE SKIP LOCKED</c>, wakes on <c>NOTIFY outbox</c>.</summary>
public sealed class PostgresOutbox(NpgsqlDataSource dataSource, TimeProvider clock) : IOutbox, IAsyncDisposable
{
    public const string Channel = "outbox";

    // One long-lived listening connection: a NOTIFY that arrives while the relay is busy is buffered
    // on it and ends the next wait at once, so no commit waits for the polling fallback.
    private readonly SemaphoreSlim _listenerLock = new(1, 1);
    private NpgsqlConnection? _listener;

    public Task<IOutboxBatch> ClaimAsync(int max, CancellationToken cancellationToken) =>
        PostgresAvailability.GuardAsync<IOutboxBatch>(async () =>
        {
            var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            try
            {
                var transaction = await connection.BeginTransactionAsync(cancellationToken);
                var rows = await connection.QueryAsync<Row>(new CommandDefinition("""
                    SELECT event_id AS EventId, aggregate_id AS AggregateId, event_type AS EventType, topic AS Topic,
                           payload::text AS Payload, traceparent AS TraceParent, tracestate AS TraceState,
                           created_at AS CreatedAt, attempts AS Attempts
                    FROM outbox
                    WHERE published_at IS NULL
                    ORDER BY event_id
                    LIMIT @max
                    FOR UPDATE SKIP LOCKED
                    """, new { max }, transaction, cancellationToken: cancellationToken));
                var messages = rows.Select(r => new OutboxMessage(r.EventId, r.AggregateId, r.EventType, r.Topic, r.Payload,
                    r.TraceParent, r.TraceState, new DateTimeOffset(DateTime.SpecifyKind(r.CreatedAt, DateTimeKind.Utc)), r.Attempts)).ToList();
                return new Batch(connection, transaction, messages);
            }
            catch
            {
                await connection.DisposeAsync();
                throw;
            }
        });

    public async Task WaitForMessagesAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        await _listenerLock.WaitAsync(cancellationToken);
        try
        {
            if (_listener is null)
            {
                // Held for the relay's lifetime; DropListenerAsync unlistens before it goes back to the pool.
                var listener = await dataSource.OpenConnectionAsync(cancellationToken);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", listener))
                {
                    await listen.ExecuteNonQueryAsync(cancellationToken);
                }

                _listener = listener;
                return; // Messages committed before LISTEN took effect are found by the next claim.
            }

            await _listener.WaitAsync(timeout, cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or IOException or InvalidOperationException)
        {
            await DropListenerAsync();
            throw new Application.DependencyUnavailableException("PostgreSQL", ex);
        }
        finally
        {
            _listenerLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await DropListenerAsync();
        _listenerLock.Dispose();
    }

    private async Task DropListenerAsync()
    {
        if (_listener is not { } listener)
        {
            return;
        }

        _listener = null;
        try
        {
            await using var unlisten = new NpgsqlCommand("UNLISTEN *", listener);
            await unlisten.ExecuteNonQueryAsync();
        }
        catch (Exception ex) when (ex is NpgsqlException or IOException or InvalidOperationException)
        {
            // A broken connection is discarded by the pool anyway.
        }

        await listener.DisposeAsync();
    }

    public Task<OutboxBacklog> BacklogAsync(CancellationToken cancellationToken) =>
        PostgresAvailability.GuardAsync(async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var (count, oldest) = await connection.QuerySingleAsync<(long, DateTime?)>(new CommandDefinition(
                "SELECT count(*), min(created_at) FROM outbox WHERE published_at IS NULL", cancellationToken: cancellationToken));
            var age = oldest is { } at ? clock.GetUtcNow() - new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : TimeSpan.Zero;
            return new OutboxBacklog(count, age < TimeSpan.Zero ? TimeSpan.Zero : age);
        });

    public Task<int> DeletePublishedAsync(DateTimeOffset publishedBefore, CancellationToken cancellationToken) =>
        PostgresAvailability.GuardAsync(async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            return await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM outbox WHERE published_at < @publishedBefore", new { publishedBefore = publishedBefore.UtcDateTime }, cancellationToken: cancellationToken));
        });

    private sealed record Row(Guid EventId, Guid AggregateId, string EventType, string Topic, string Payload, string? TraceParent, string? TraceState, DateTime CreatedAt, int Attempts);

    private sealed class Batch(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<OutboxMessage> messages) : IOutboxBatch
    {
        public IReadOnlyList<OutboxMessage> Messages { get; } = messages;

        public Task CompleteAsync(IReadOnlyCollection<Guid> published, IReadOnlyDictionary<Guid, string> failed, CancellationToken cancellationToken) =>
            PostgresAvailability.GuardAsync(async () =>
            {
                if (published.Count > 0)
                {
                    await connection.ExecuteAsync(new CommandDefinition(
                        "UPDATE outbox SET published_at = now(), attempts = attempts + 1, last_error = NULL WHERE event_id = ANY(@ids)",
                        new { ids = published.ToArray() }, transaction, cancellationToken: cancellationToken));
                }

                foreach (var (eventId, error) in failed)
                {
                    await connection.ExecuteAsync(new CommandDefinition(
                        "UPDATE outbox SET attempts = attempts + 1, last_error = left(@error, 2000) WHERE event_id = @eventId",
                        new { eventId, error }, transaction, cancellationToken: cancellationToken));
                }

                await transaction.CommitAsync(cancellationToken);
                return true;
            });

        public async ValueTask DisposeAsync()
        {
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}
