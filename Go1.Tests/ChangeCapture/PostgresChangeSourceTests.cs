using Go1.CdcSync;
using Go1.CdcSync.Postgres;
using Go1.OrderApi.Apis;
using Go1.Orders.Infrastructure.Cache;
using Go1.Orders.Infrastructure.Persistence;
using Go1.Tests.Api;

namespace Go1.Tests.ChangeCapture;

/// <summary>CdcSync with the pgoutput source keeps Redis in step with PostgreSQL, with no cache code in the write path.</summary>
public sealed class PostgresChangeSourceTests(PostgresServer postgres, RedisServer redis, KafkaMockCluster kafka) : IAsyncLifetime
{
    // A change streams to Redis in about a millisecond (CdcBenchmarks measures it); the bound only tells a streamed change
    // from one held for a batch to fill or a timer, with room for a loaded CI machine's stalls.
    private static readonly TimeSpan Promptly = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan CatchUp = TimeSpan.FromSeconds(15);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string _database = string.Empty;
    private ServiceFactory<OrderApiService> _api = null!;
    private CdcSyncHost _cdc = null!;
    private ConnectionMultiplexer _redis = null!;

    private IDatabase Redis => _redis.GetDatabase();

    public async ValueTask InitializeAsync()
    {
        _database = await postgres.CreateMigratedDatabaseAsync("go1_cdc");
        _api = new ServiceFactory<OrderApiService>(new Dictionary<string, string?>
        {
            ["ConnectionStrings:go1"] = _database,
            ["ConnectionStrings:redis"] = redis.ConnectionString,
            ["ConnectionStrings:kafka"] = kafka.BootstrapServers,
            ["Auth:Mode"] = "GatewayHeaders",
            ["Auth:Gateway:SharedSecret"] = TestGateway.Secret,
        });
        _redis = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        _cdc = CdcSyncHost.Postgres(_database, redis.ConnectionString);
        await _cdc.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _cdc.DisposeAsync();
        await _api.DisposeAsync();
        await _redis.DisposeAsync();
    }

    private HttpClient Rider()
    {
        var client = _api.CreateClient();
        client.DefaultRequestHeaders.Add("X-User-Id", "cdc-rider");
        client.DefaultRequestHeaders.Add(TestGateway.Header, TestGateway.Secret);
        client.DefaultRequestHeaders.Add("X-User-Audience", "user_app");
        return client;
    }

    private static async Task<OrderResponse> CreateOrderAsync(HttpClient client)
    {
        var response = await client.PostAsJsonAsync("/orders", OrderApiFixture.ValidOrder(), Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await OrderApiFixture.ReadOrderAsync(response);
    }

    private Task<int> ExecuteAsync(string sql, params object[] parameters) =>
        WithCommandAsync(sql, parameters, command => command.ExecuteNonQueryAsync(Ct));

    private Task<object?> ScalarAsync(string sql, params object[] parameters) =>
        WithCommandAsync(sql, parameters, command => command.ExecuteScalarAsync(Ct));

    private async Task<T> WithCommandAsync<T>(string sql, object[] parameters, Func<NpgsqlCommand, Task<T>> run)
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return await run(command);
    }

    private async Task<OrderDocument> DatabaseViewAsync(Guid id) =>
        OrderDocument.From((await _api.Services.GetRequiredService<PostgresOrderRepository>().FindAsync(id, Ct))!);

    [Fact]
    public async Task Inserts_updates_and_deletes_reach_redis_promptly()
    {
        var created = await CreateOrderAsync(Rider());
        var (inserted, _) = await RedisOrders.WaitForVersionAsync(Redis, created.Id, 1, Promptly);
        Assert.Equal(OrderRows.Json(await DatabaseViewAsync(created.Id)), inserted.Json);

        Assert.Equal(1, await ExecuteAsync("UPDATE orders SET sub_status = 'DRIVER_NEARBY', metadata = metadata || '{\"eta_minutes\": 4}' WHERE id = $1", created.Id));
        var (updated, _) = await RedisOrders.WaitForVersionAsync(Redis, created.Id, 2, Promptly);
        var view = RedisOrders.View(updated);
        Assert.Equal(("DRIVER_NEARBY", 4), (view.SubStatus, view.Metadata["eta_minutes"]!.GetValue<int>()));
        Assert.Equal(OrderRows.Json(await DatabaseViewAsync(created.Id)), updated.Json);

        Assert.Equal(1, await ExecuteAsync("DELETE FROM orders WHERE id = $1", created.Id));
        var (deleted, _) = await RedisOrders.WaitAsync(Redis, created.Id, e => e.Deleted, Promptly);
        Assert.Equal(2, deleted.Version);
        Assert.Equal(HttpStatusCode.NotFound, (await Rider().GetAsync($"/orders/{created.Id}", Ct)).StatusCode);
    }

    [Fact]
    public async Task An_update_that_leaves_a_large_out_of_line_value_unchanged_keeps_it_in_the_cache()
    {
        // pgoutput sends an unchanged out-of-line (TOASTed) value only as "unchanged": the source takes it from the old row.
        var created = await CreateOrderAsync(Rider());
        var large = string.Concat(Enumerable.Range(0, 400).Select(_ => Guid.NewGuid().ToString("N"))); // 12,800 characters that do not compress
        Assert.Equal(1, await ExecuteAsync("UPDATE orders SET metadata = jsonb_build_object('large', $2::text) WHERE id = $1", created.Id, large));
        var toastTable = (string)(await ScalarAsync("SELECT reltoastrelid::regclass::text FROM pg_class WHERE relname = 'orders'"))!;
        Assert.True((long)(await ScalarAsync($"SELECT count(*) FROM {toastTable}"))! > 0, "the metadata is stored out of line");

        Assert.Equal(1, await ExecuteAsync("UPDATE orders SET sub_status = 'DRIVER_NEARBY' WHERE id = $1", created.Id));

        var (updated, _) = await RedisOrders.WaitForVersionAsync(Redis, created.Id, 3, Promptly);
        var view = RedisOrders.View(updated);
        Assert.Equal(("DRIVER_NEARBY", large), (view.SubStatus, view.Metadata["large"]!.GetValue<string>()));
        Assert.Equal(OrderRows.Json(await DatabaseViewAsync(created.Id)), updated.Json);
    }

    [Fact]
    public async Task A_row_the_read_model_cannot_take_costs_the_cache_that_order_alone_and_later_changes_still_flow()
    {
        var client = Rider();
        var (unknown, other) = (await CreateOrderAsync(client), await CreateOrderAsync(client));
        await RedisOrders.WaitForVersionAsync(Redis, unknown.Id, 1, CatchUp);
        await RedisOrders.WaitForVersionAsync(Redis, other.Id, 1, CatchUp);

        Assert.Equal(1, await ExecuteAsync("""UPDATE orders SET service = jsonb_set(service, '{type}', '"SPACESHIP"') WHERE id = $1""", unknown.Id));
        Assert.Equal(1, await ExecuteAsync("UPDATE orders SET sub_status = 'DRIVER_NEARBY' WHERE id = $1", other.Id));

        await RedisOrders.WaitForVersionAsync(Redis, other.Id, 2, CatchUp);
        var evicted = await RedisOrders.ReadAsync(Redis, unknown.Id);
        Assert.Equal((true, 2L), (evicted!.Deleted, evicted.Version)); // its version 1 is no longer served
        var health = await _cdc.Factory.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(Ct);
        Assert.Equal(HealthStatus.Healthy, health.Status);
    }

    [Fact]
    public async Task A_row_without_a_version_stops_the_source_and_says_why_even_when_nothing_follows_it()
    {
        var created = await CreateOrderAsync(Rider());
        await RedisOrders.WaitForVersionAsync(Redis, created.Id, 1, CatchUp);

        await ExecuteAsync("DROP TRIGGER orders_bump_version ON orders");
        await ExecuteAsync("ALTER TABLE orders ALTER COLUMN version DROP NOT NULL");
        Assert.Equal(1, await ExecuteAsync("UPDATE orders SET version = NULL WHERE id = $1", created.Id));

        var health = _cdc.Factory.Services.GetRequiredService<HealthCheckService>();
        await Eventually.HoldsAsync(
            async () => (await health.CheckHealthAsync(Ct)).Entries.Values.Any(entry => entry.Description?.Contains("Column 'version' is missing or null", StringComparison.Ordinal) == true),
            CatchUp, "the source reports the row it cannot take");
        Assert.Equal(1, RedisOrders.View((await RedisOrders.WaitForVersionAsync(Redis, created.Id, 1, Promptly)).Entry).Version);
    }

    [Fact]
    public async Task Stopping_and_restarting_mid_stream_misses_nothing()
    {
        const int Orders = 36;
        var client = Rider();
        var created = new List<Guid>();
        var writer = Task.Run(async () =>
        {
            for (var i = 0; i < Orders; i++)
            {
                var order = await CreateOrderAsync(client);
                lock (created)
                {
                    created.Add(order.Id);
                }

                if (i % 3 == 0)
                {
                    await ExecuteAsync("UPDATE orders SET sub_status = $2 WHERE id = $1", order.Id, $"step-{i}");
                }

                if (i == Orders / 3)
                {
                    await _cdc.StopAsync(); // mid-stream: changes keep coming while nothing reads them
                }

                if (i == 2 * Orders / 3)
                {
                    await _cdc.StartAsync();
                }
            }
        }, Ct);

        await writer;
        foreach (var id in created)
        {
            var expected = await DatabaseViewAsync(id);
            var (entry, _) = await RedisOrders.WaitForVersionAsync(Redis, id, expected.Version, CatchUp);
            Assert.Equal(OrderRows.Json(expected), entry.Json);
        }
    }

    /// <summary>GET /orders/{id} once it answers <paramref name="version"/> (invalidations travel asynchronously).</summary>
    private static async Task<OrderResponse> ApiViewAsync(HttpClient client, Guid id, long version)
    {
        var deadline = DateTime.UtcNow + CatchUp;
        while (true)
        {
            var view = await OrderApiFixture.ReadOrderAsync(await client.GetAsync($"/orders/{id}", Ct));
            if (view.Version == version || DateTime.UtcNow > deadline)
            {
                return view;
            }

            await Task.Delay(20, Ct);
        }
    }

    [Fact]
    public async Task Concurrent_updates_and_reads_end_with_the_cache_equal_to_the_database()
    {
        const int Orders = 50, UpdatesPerOrder = 20;
        var client = Rider();
        var ids = new List<Guid>();
        for (var i = 0; i < Orders; i++)
        {
            ids.Add((await CreateOrderAsync(client)).Id);
        }

        var updates = ids.SelectMany(id => Enumerable.Range(1, UpdatesPerOrder).Select(n => (id, n))).OrderBy(_ => Random.Shared.Next()).ToList();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            var reads = 0;
            while (!stop.IsCancellationRequested)
            {
                var response = await client.GetAsync($"/orders/{ids[Random.Shared.Next(ids.Count)]}", CancellationToken.None);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                reads++;
            }

            return reads;
        }, Ct)).ToList();

        await Parallel.ForEachAsync(updates, new ParallelOptions { MaxDegreeOfParallelism = 20, CancellationToken = Ct }, async (update, ct) =>
            await ExecuteAsync("UPDATE orders SET metadata = metadata || jsonb_build_object('n', $2::int) WHERE id = $1", update.id, update.n));
        await stop.CancelAsync();
        var totalReads = (await Task.WhenAll(readers)).Sum();

        foreach (var id in ids)
        {
            var expected = await DatabaseViewAsync(id);
            Assert.Equal(1 + UpdatesPerOrder, expected.Version);
            var (entry, _) = await RedisOrders.WaitForVersionAsync(Redis, id, expected.Version, CatchUp);
            Assert.Equal(OrderRows.Json(expected), entry.Json);
            // The API's near cache was invalidated by the same writes: its answer is the database's too.
            Assert.Equal(OrderRows.Json(OrderResponse.From(expected)), OrderRows.Json(await ApiViewAsync(client, id, expected.Version)));
        }

        Assert.True(totalReads > 0);
    }

    [Fact]
    public async Task Changes_at_hand_are_applied_together_in_batches_of_bounded_size()
    {
        var created = await CreateOrderAsync(Rider());
        var slot = $"test_{Guid.NewGuid():N}";
        var source = new PostgresOrderChangeSource(_database, new PostgresChangeSourceOptions { Slot = slot, Publication = "test_orders" }, NullLogger<PostgresOrderChangeSource>.Instance);
        var batches = new ConcurrentQueue<OrderChange[]>();
        var streaming = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        const int Updates = 600;

        var run = source.RunAsync(
            (changes, _) =>
            {
                batches.Enqueue([.. changes]);
                return Task.CompletedTask;
            },
            () => streaming.TrySetResult(),
            stop.Token);
        try
        {
            await streaming.Task.WaitAsync(CatchUp, Ct);
            // One transaction of 600 updates (the trigger bumps the version of each): the stream has them all at hand at once.
            await ExecuteAsync($"DO $$ BEGIN FOR n IN 1..{Updates} LOOP UPDATE orders SET metadata = metadata || jsonb_build_object('n', n) WHERE id = '{created.Id}'; END LOOP; END $$");
            await Eventually.HoldsAsync(
                () => Task.FromResult(batches.Sum(b => b.Count(c => c.OrderId == created.Id && c.Version > 1)) >= Updates), CatchUp, "all 600 updates applied");

            var live = batches.Where(b => b.Any(c => c.OrderId == created.Id && c.Version > 1)).ToList();
            Assert.All(live, b => Assert.InRange(b.Length, 1, PostgresOrderChangeSource.MaxBatch));
            // One change per batch (the old loop) makes 600. On a quiet machine they come in 3 or 4; on a loaded one the
            // server's decoding can trickle, and a CI run saw 105 (55, then ones): the bound leaves room for that.
            Assert.True(live.Count <= Updates / 4, $"{Updates} changes at hand took {live.Count} batches ({string.Join(", ", live.Take(8).Select(b => b.Length))}, …)");
            Assert.Equal(Enumerable.Range(2, Updates).Select(v => (long)v), live.SelectMany(b => b).Where(c => c.OrderId == created.Id).Select(c => c.Version));
        }
        finally
        {
            await stop.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
            await CdcSyncHost.DropSlotAsync(_database, slot);
        }
    }

    [Fact]
    public async Task A_new_slot_signals_streaming_only_after_its_snapshot_is_projected()
    {
        var existing = await CreateOrderAsync(Rider());
        var slot = $"test_{Guid.NewGuid():N}";
        var source = new PostgresOrderChangeSource(_database, new PostgresChangeSourceOptions { Slot = slot, Publication = "test_orders" }, NullLogger<PostgresOrderChangeSource>.Instance);
        var applied = new ConcurrentQueue<(Guid OrderId, bool AfterStreaming)>();
        var streaming = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var run = source.RunAsync(
            (changes, _) =>
            {
                foreach (var change in changes)
                {
                    applied.Enqueue((change.OrderId, streaming.Task.IsCompleted));
                }

                return Task.CompletedTask;
            },
            () => streaming.TrySetResult(),
            stop.Token);
        try
        {
            await streaming.Task.WaitAsync(CatchUp, Ct);
            Assert.Contains((existing.Id, false), applied); // projected from the snapshot, before "streaming"
        }
        finally
        {
            await stop.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
            await CdcSyncHost.DropSlotAsync(_database, slot);
        }
    }

    [Fact]
    public async Task A_new_slot_starts_from_a_snapshot_of_the_orders_that_already_exist()
    {
        var existing = await CreateOrderAsync(Rider());
        await ExecuteAsync("UPDATE orders SET sub_status = 'BEFORE_THE_SLOT' WHERE id = $1", existing.Id);
        await RedisOrders.WaitForVersionAsync(Redis, existing.Id, 2, CatchUp);
        await Redis.KeyDeleteAsync(RedisOrderCache.Key(existing.Id)); // as if no CdcSync had run before

        await using var fresh = CdcSyncHost.Postgres(_database, redis.ConnectionString); // a slot of its own
        await fresh.StartAsync();

        var entry = await RedisOrders.ReadAsync(Redis, existing.Id); // the snapshot is projected before streaming starts
        Assert.NotNull(entry);
        Assert.Equal(OrderRows.Json(await DatabaseViewAsync(existing.Id)), entry.Json);
    }
}
