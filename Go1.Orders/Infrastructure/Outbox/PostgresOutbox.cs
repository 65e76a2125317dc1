using Dapper;
using Go1.Orders.Application.Ports;
using Go1.Orders.Infrastructure.Persistence;
using Npgsql;
using Polly;
using Polly.Retry;

namespace Go1.Orders.Infrastructure.Outbox;

/// <summary>
/// The <c>outbox</c> table: claims with <c>FOR UPDATE SKIP LOCKED</c>. Wake-ups: a write in this process
/// wakes the local relay directly and, debounced, sends <c>NOTIFY outbox</c> for relays in other
/// replicas, which LISTEN on a long-lived connection. NOTIFY is kept out of the order's own transaction
/// on purpose: PostgreSQL serialises the commits of notifying transactions (bench/README.md has the figures).
/// </summary>
public sealed class PostgresOutbox(NpgsqlDataSource dataSource, TimeProvider clock) : IOutbox, IAsyncDisposable
{
    public const string Channel = "outbox";
    // At most ~20 NOTIFYs a second whatever the write rate: other replicas wake within 50 ms.
    private static readonly TimeSpan NotifyDebounce = TimeSpan.FromMilliseconds(50);

    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly object _listenerGate = new();
    private Task? _listener;
    private int _notifyScheduled;
    private int _disposed;

    /// <summary>Called after a transaction that wrote outbox rows has committed.</summary>
    public void Written()
    {
        if (Volatile.Read(ref _disposed) == 1)
        {
            return; // Shutting down: the rows are found by the next relay to start.
        }

        Wake();
        if (Interlocked.CompareExchange(ref _notifyScheduled, 1, 0) == 0)
        {
            _ = NotifyOthersAsync();
        }
    }

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
                    WHERE published_at IS NULL AND parked_at IS NULL
                    ORDER BY event_id
                    LIMIT @max
                    FOR UPDATE SKIP LOCKED
                    """, new { max }, transaction, cancellationToken: cancellationToken));
                var messages = rows.Select(r => new OutboxMessage(r.EventId, r.AggregateId, r.EventType, r.Topic, r.Payload,
                    r.TraceParent, r.TraceState, PostgresTime.Utc(r.CreatedAt), r.Attempts)).ToList();
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
        EnsureListening();
        await _wake.WaitAsync(timeout, cancellationToken);
    }

    public Task<OutboxBacklog> BacklogAsync(CancellationToken cancellationToken) =>
        PostgresAvailability.GuardAsync(async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var (count, oldest, parked) = await connection.QuerySingleAsync<(long, DateTime?, long)>(new CommandDefinition("""
                SELECT count(*) FILTER (WHERE parked_at IS NULL), min(created_at) FILTER (WHERE parked_at IS NULL), count(*) FILTER (WHERE parked_at IS NOT NULL)
                FROM outbox WHERE published_at IS NULL
                """, cancellationToken: cancellationToken));
            var age = oldest is { } at ? clock.GetUtcNow() - PostgresTime.Utc(at) : TimeSpan.Zero;
            return new OutboxBacklog(count, age < TimeSpan.Zero ? TimeSpan.Zero : age, parked);
        });

    public async ValueTask DisposeAsync()
    {
        // Registered under two service types, so the container disposes it twice.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync();
        if (_listener is not null)
        {
            await _listener.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _stopping.Dispose();
        _wake.Dispose();
    }

    private void Wake()
    {
        try
        {
            if (_wake.CurrentCount == 0)
            {
                _wake.Release();
            }
        }
        catch (Exception ex) when (ex is SemaphoreFullException or ObjectDisposedException)
        {
            // Already awake, or shutting down.
        }
    }

    private async Task NotifyOthersAsync()
    {
        try
        {
            await Task.Delay(NotifyDebounce, clock, _stopping.Token);
            Volatile.Write(ref _notifyScheduled, 0);
            await using var connection = await dataSource.OpenConnectionAsync(_stopping.Token);
            await using var notify = new NpgsqlCommand($"NOTIFY {Channel}", connection);
            await notify.ExecuteNonQueryAsync(_stopping.Token);
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // Other relays still poll; a lost wake-up only delays them by one poll interval.
            Volatile.Write(ref _notifyScheduled, 0);
        }
    }

    private void EnsureListening()
    {
        lock (_listenerGate)
        {
            _listener ??= Task.Run(ListenAsync);
        }
    }

    /// <summary>Turns NOTIFYs from other replicas into wake-ups, reconnecting a second after failures until disposed.</summary>
    private async Task ListenAsync()
    {
        var reconnect = new ResiliencePipelineBuilder { TimeProvider = clock }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = int.MaxValue,
                Delay = TimeSpan.FromSeconds(1),
                BackoffType = DelayBackoffType.Constant,
                ShouldHandle = new PredicateBuilder().Handle<Exception>(ex => !_stopping.IsCancellationRequested
                    && ex is NpgsqlException or IOException or InvalidOperationException or OperationCanceledException),
            })
            .Build();
        try
        {
            await reconnect.ExecuteAsync(async ct =>
            {
                await using var connection = await dataSource.OpenConnectionAsync(ct);
                connection.Notification += (_, _) => Wake();
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(ct);
                }

                try
                {
                    while (true)
                    {
                        await connection.WaitAsync(ct);
                    }
                }
                finally
                {
                    // The connection goes back to the pool: leave no subscription on it.
                    if (connection.State == System.Data.ConnectionState.Open)
                    {
                        await using var unlisten = new NpgsqlCommand("UNLISTEN *", connection);
                        await unlisten.ExecuteNonQueryAsync(CancellationToken.None);
                    }
                }
            }, _stopping.Token);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }

    private sealed record Row(Guid EventId, Guid AggregateId, string EventType, string Topic, string Payload, string? TraceParent, string? TraceState, DateTime CreatedAt, int Attempts);

    private sealed class Batch(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<OutboxMessage> messages) : IOutboxBatch
    {
        public IReadOnlyList<OutboxMessage> Messages { get; } = messages;

        public Task<IReadOnlyList<Guid>> CompleteAsync(IReadOnlyCollection<Guid> published, IReadOnlyDictionary<Guid, OutboxFailure> failed, int maxRejections,
            CancellationToken cancellationToken) =>
            PostgresAvailability.GuardAsync<IReadOnlyList<Guid>>(async () =>
            {
                if (published.Count > 0)
                {
                    // The mark need not wait for the WAL flush: lost in a database crash, it only republishes
                    // messages that consumers already dedupe by event id (at-least-once, as a relay crash does).
                    await connection.ExecuteAsync(new CommandDefinition("""
                        SET LOCAL synchronous_commit = off;
                        UPDATE outbox SET published_at = now(), attempts = attempts + 1, last_error = NULL WHERE event_id = ANY(@ids)
                        """,
                        new { ids = published.ToArray() }, transaction, cancellationToken: cancellationToken));
                }

                var parked = new List<Guid>();
                foreach (var (eventId, failure) in failed)
                {
                    var parkedNow = await connection.ExecuteScalarAsync<bool>(new CommandDefinition("""
                        UPDATE outbox SET attempts = attempts + 1, last_error = left(@Error, 2000),
                               rejections = rejections + @Rejected::int,
                               parked_at = CASE WHEN @Rejected AND rejections + 1 >= @maxRejections THEN now() END
                        WHERE event_id = @eventId
                        RETURNING parked_at IS NOT NULL
                        """, new { eventId, failure.Error, failure.Rejected, maxRejections }, transaction, cancellationToken: cancellationToken));
                    if (parkedNow)
                    {
                        parked.Add(eventId);
                    }
                }

                await transaction.CommitAsync(cancellationToken);
                return parked;
            });

        public async ValueTask DisposeAsync()
        {
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}
