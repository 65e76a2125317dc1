using Go1.Orders.Infrastructure.Outbox;
using Go1.Orders.Infrastructure.Persistence;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Go1.Tests.Infrastructure;

/// <summary>
/// Creates that arrive together share one round trip and one commit, on a real PostgreSQL. To make a batch form
/// for certain, a test holds a lock that blocks the first batch's insert while the others queue behind it.
/// </summary>
public sealed class OrderWriteBatcherTests(PostgresServer postgres) : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private NpgsqlDataSource _dataSource = null!;
    private PostgresOrderRepository _orders = null!;
    private MetricCollector<int> _batches = null!;

    public async ValueTask InitializeAsync()
    {
        _dataSource = NpgsqlDataSource.Create(await postgres.CreateMigratedDatabaseAsync("go1_writes"));
        var meters = _services.GetRequiredService<IMeterFactory>();
        _batches = new MetricCollector<int>(meters, OrderWriteBatcher.SourceName, "go1.orders.write_batch.size");
        _orders = new PostgresOrderRepository(_dataSource, new PostgresOutbox(_dataSource, TimeProvider.System), Options.Create(new OrderWriteOptions()), meters);
    }

    public async ValueTask DisposeAsync()
    {
        await _orders.DisposeAsync();
        _batches.Dispose();
        await _dataSource.DisposeAsync();
        await _services.DisposeAsync();
    }

    [Fact]
    public async Task A_repository_that_never_creates_starts_no_writer()
    {
        await using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        using var batches = new MetricCollector<int>(meters, OrderWriteBatcher.SourceName, "go1.orders.write_batch.size");
        await using var orders = new PostgresOrderRepository(_dataSource, new PostgresOutbox(_dataSource, TimeProvider.System), Options.Create(new OrderWriteOptions()), meters);

        // The writer publishes its batch-size histogram when it starts its threads.
        await orders.FindAsync(Guid.CreateVersion7(), Ct);
        Assert.Null(batches.Instrument);

        var order = TestOrders.New();
        await orders.CreateAsync(order, OrderCreated.For(order, Guid.CreateVersion7()), null, Ct);
        Assert.NotNull(batches.Instrument);
    }

    /// <summary>Starts one create and holds its batch in flight, so the creates made next queue behind it.</summary>
    private async Task<(NpgsqlTransaction Block, Task<StoredOrder> First)> HoldFirstBatchAsync()
    {
        var block = await BlockInsertsAsync();
        var first = CreateAsync(TestOrders.New(), null, Ct);
        await WaitForBlockedInsertAsync();
        return (block, first);
    }

    /// <summary>Holds a lock that makes any insert into orders wait until the returned handle is disposed.</summary>
    private async Task<NpgsqlTransaction> BlockInsertsAsync()
    {
        var connection = await _dataSource.OpenConnectionAsync(Ct);
        var transaction = await connection.BeginTransactionAsync(Ct);
        await connection.ExecuteAsync("LOCK TABLE orders IN SHARE MODE", transaction: transaction);
        return transaction;
    }

    /// <summary>Waits until a backend waits for the lock: the first batch is in flight and everything else queues.</summary>
    private async Task WaitForBlockedInsertAsync()
    {
        await using var connection = await _dataSource.OpenConnectionAsync(Ct);
        await Eventually.HoldsAsync(
            async () => await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM pg_locks WHERE NOT granted") > 0,
            TimeSpan.FromSeconds(10), "the first batch waits for the lock");
    }

    private static async Task ReleaseAsync(NpgsqlTransaction block)
    {
        var connection = block.Connection!;
        await block.RollbackAsync(Ct);
        await connection.DisposeAsync();
    }

    private async Task<int> CountAsync(string sql, object args)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(Ct);
        return await connection.ExecuteScalarAsync<int>(sql, args);
    }

    private Task<StoredOrder> CreateAsync(RideOrder order, IdempotencyClaim? claim, CancellationToken cancellationToken) =>
        _orders.CreateAsync(order, OrderCreated.For(order, Guid.CreateVersion7()), claim, cancellationToken);

    [Fact]
    public async Task Creates_queued_together_commit_together_each_with_its_own_trace_context()
    {
        var (block, first) = await HoldFirstBatchAsync();
        var queued = Enumerable.Range(0, 20).Select(_ =>
        {
            using var request = new Activity("request").SetIdFormat(ActivityIdFormat.W3C).Start(); // as each HTTP request's own span
            var order = TestOrders.New();
            return (order, traceparent: request.Id!, task: CreateAsync(order, null, Ct));
        }).ToList();

        await ReleaseAsync(block);
        await Task.WhenAll(queued.Select(q => q.task).Append(first));

        Assert.Equal([1, 20], _batches.GetMeasurementSnapshot().Select(m => m.Value));
        foreach (var (order, traceparent, _) in queued)
        {
            Assert.Equal(1, await CountAsync("SELECT count(*) FROM orders WHERE id = @id", new { id = order.Id }));
            Assert.Equal(1, await CountAsync("SELECT count(*) FROM outbox WHERE aggregate_id = @id AND traceparent = @traceparent", new { id = order.Id, traceparent }));
        }
    }

    [Fact]
    public async Task Creates_with_and_without_an_idempotency_key_share_one_statement_and_commit()
    {
        var (block, first) = await HoldFirstBatchAsync();
        // The first create queued has no key, so the batch's statement writes orders, outbox and keys in that order.
        var queued = Enumerable.Range(0, 6).Select(i =>
        {
            var order = TestOrders.New(paymentMethod: i % 2 == 0 ? "card" : "cash"); // each row must keep its own values
            var claim = i % 2 == 0 ? null : new IdempotencyClaim("mixed-batch-rider", Guid.NewGuid().ToString(), $"hash-{i}");
            return (order, claim, task: CreateAsync(order, claim, Ct));
        }).ToList();

        await ReleaseAsync(block);
        await Task.WhenAll(queued.Select(q => q.task).Append(first));

        Assert.Equal([1, 6], _batches.GetMeasurementSnapshot().Select(m => m.Value));
        var ids = queued.Select(q => q.order.Id).ToArray();
        Assert.Equal(1, await CountAsync("SELECT count(DISTINCT xmin::text) FROM orders WHERE id = ANY(@ids)", new { ids }));
        Assert.Equal(ids.Length, await CountAsync("SELECT count(*) FROM outbox WHERE aggregate_id = ANY(@ids)", new { ids }));
        foreach (var (order, claim, task) in queued)
        {
            Assert.Equal(order.Id, (await task).Order.Id);
            Assert.Equal(order.Payment.Method, (await _orders.FindAsync(order.Id, Ct))!.Payment.Method);
            if (claim is not null)
            {
                var (keyed, hash) = (await _orders.FindByIdempotencyKeyAsync(claim.CallerId, claim.Key, Ct))!.Value;
                Assert.Equal((order.Id, claim.RequestHash), (keyed.Id, hash));
            }
        }
    }

    [Fact]
    public async Task One_failing_create_in_a_batch_fails_alone()
    {
        var existing = TestOrders.New();
        await CreateAsync(existing, null, Ct);
        var key = new IdempotencyClaim("batch-rider", Guid.NewGuid().ToString(), "hash");
        var (block, first) = await HoldFirstBatchAsync();
        var others = Enumerable.Range(0, 5).Select(_ => TestOrders.New()).ToList();
        var creates = others.Select(o => CreateAsync(o, null, Ct)).ToList();
        var duplicate = CreateAsync(existing, null, Ct); // the same order id again: refused by the primary key
        var keyed = CreateAsync(TestOrders.New(), key, Ct); // two creates with one idempotency key:
        var keyedAgain = CreateAsync(TestOrders.New(), key, Ct); // the second replays the first

        await ReleaseAsync(block);
        await Task.WhenAll(creates.Append(first));

        var refused = await Assert.ThrowsAsync<PostgresException>(() => duplicate);
        Assert.Equal(PostgresErrorCodes.UniqueViolation, refused.SqlState);
        var (winner, replay) = (await keyed, await keyedAgain);
        Assert.False(winner.Replayed);
        Assert.True(replay.Replayed);
        Assert.Equal(winner.Order.Id, replay.Order.Id);
        var ids = others.Select(o => o.Id).Append(winner.Order.Id).ToArray();
        Assert.Equal(ids.Length, await CountAsync("SELECT count(*) FROM orders WHERE id = ANY(@ids)", new { ids }));
        Assert.Equal(ids.Length, await CountAsync("SELECT count(*) FROM outbox WHERE aggregate_id = ANY(@ids)", new { ids }));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM outbox WHERE aggregate_id = @id", new { id = existing.Id }));
    }

    [Fact]
    public async Task A_create_cancelled_while_queued_writes_nothing()
    {
        var (block, first) = await HoldFirstBatchAsync();
        using var gone = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var abandoned = TestOrders.New();
        var create = CreateAsync(abandoned, null, gone.Token);

        await gone.CancelAsync();
        await ReleaseAsync(block);
        await first;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => create);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM orders WHERE id = @id", new { id = abandoned.Id }));
    }

    [Fact]
    public async Task Shutting_down_writes_what_is_queued()
    {
        var (block, first) = await HoldFirstBatchAsync();
        var queued = Enumerable.Range(0, 5).Select(_ => TestOrders.New()).ToList();
        var creates = queued.Select(o => CreateAsync(o, null, Ct)).ToList();

        var shutdown = _orders.DisposeAsync().AsTask();
        await ReleaseAsync(block);
        await shutdown;

        await Task.WhenAll(creates.Append(first));
        var ids = queued.Select(o => o.Id).ToArray();
        Assert.Equal(ids.Length, await CountAsync("SELECT count(*) FROM orders WHERE id = ANY(@ids)", new { ids }));
    }

    [Fact]
    public async Task A_writer_whose_connection_dies_fails_that_batch_and_reconnects_for_the_next()
    {
        await CreateAsync(TestOrders.New(), null, Ct); // the writer now holds its connection
        await using (var admin = await _dataSource.OpenConnectionAsync(Ct))
        {
            await admin.ExecuteAsync("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
        }

        var lost = TestOrders.New();
        await Assert.ThrowsAsync<DependencyUnavailableException>(() => CreateAsync(lost, null, Ct));
        var next = TestOrders.New();
        await CreateAsync(next, null, Ct);

        Assert.Equal(0, await CountAsync("SELECT count(*) FROM orders WHERE id = @id", new { id = lost.Id }));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM orders WHERE id = @id", new { id = next.Id }));
    }
}
