using Go1.Orders.Infrastructure.Cache;

namespace Go1.Tests.Infrastructure;

/// <summary>The near cache on a real Redis: guarded writes invalidate it at once, and an outage turns it off until invalidations flow again.</summary>
public sealed class NearCacheRedisTests : IAsyncLifetime
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(10);
    // The clients reconnect with StackExchange.Redis' exponential backoff, which grows while Redis is down: the first
    // attempt after Redis is back can come seconds later (a fresh-clone CI run missed 10 s for the resume).
    private static readonly TimeSpan AfterOutage = TimeSpan.FromSeconds(30);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly RedisServer _redis = new(); // private: one test takes it down
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private ConnectionMultiplexer _apiConnection = null!;
    private ConnectionMultiplexer _cdcConnection = null!;
    private NearCache _near = null!;
    private NearCacheInvalidations _invalidations = null!;
    private RedisOrderCache _api = null!; // OrderApi's view: near cache in front of Redis
    private RedisOrderCache _cdc = null!; // CdcSync's view: guarded writes, no near cache

    public async ValueTask InitializeAsync()
    {
        await _redis.InitializeAsync();
        _apiConnection = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        _cdcConnection = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        _near = new NearCache(new NearCacheOptions(), _services.GetRequiredService<IMeterFactory>());
        _invalidations = new NearCacheInvalidations(_apiConnection, _near, NullLogger<NearCacheInvalidations>.Instance);
        await _invalidations.StartAsync(Ct);
        _api = new RedisOrderCache(_apiConnection, new OrderCacheOptions(), _near);
        _cdc = new RedisOrderCache(_cdcConnection, new OrderCacheOptions());
    }

    public async ValueTask DisposeAsync()
    {
        await _invalidations.StopAsync(CancellationToken.None);
        _invalidations.Dispose();
        _near.Dispose();
        await _apiConnection.DisposeAsync();
        await _cdcConnection.DisposeAsync();
        await _redis.DisposeAsync();
        await _services.DisposeAsync();
    }

    private static Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan? within = null) =>
        Eventually.HoldsAsync(condition, within ?? Soon, what);

    private static OrderDocument Order(long version, string status) => OrderDocument.From(TestOrders.New("cash")) with { Version = version, Status = status };

    private Task<bool> WriteUnannouncedAsync(OrderDocument order) =>
        _cdcConnection.GetDatabase().StringSetAsync(RedisOrderCache.Key(order.Id), JsonSerializer.Serialize(order, OrderJson.Options));

    [Fact]
    public async Task Reads_are_served_locally_until_a_guarded_write_invalidates_them()
    {
        await WaitUntilAsync(() => Task.FromResult(_near.IsLive), "the near cache goes live");
        var v1 = Order(1, "FINDING");
        // Writes that bypass the guard announce nothing (so no invalidation of this seed is still in flight).
        await WriteUnannouncedAsync(v1);
        var first = await _api.GetAsync(v1.Id, Ct); // read from Redis, kept locally
        Assert.Equal("FINDING", first!.Status);

        await WriteUnannouncedAsync(v1 with { Status = "UNANNOUNCED" });
        Assert.Same(first, await _api.GetAsync(v1.Id, Ct)); // a hit is the document parsed once, not parsed again

        // A guarded write (what CdcSync does) evicts it in every OrderApi.
        await _cdc.SetIfNewerAsync(v1 with { Version = 2, Status = "ASSIGNED" }, Ct);
        await WaitUntilAsync(async () => (await _api.GetAsync(v1.Id, Ct))!.Version == 2, "the next read sees version 2");

        // And so does a deletion.
        await _cdc.DeleteAsync(v1.Id, 3, Ct);
        await WaitUntilAsync(async () => await _api.GetAsync(v1.Id, Ct) is null, "the next read sees the deletion");
    }

    [Fact]
    public async Task An_outage_suspends_it_and_it_resumes_once_invalidations_flow_again()
    {
        await WaitUntilAsync(() => Task.FromResult(_near.IsLive), "the near cache goes live");
        var order = Order(1, "FINDING");
        await WriteUnannouncedAsync(order);
        await _api.GetAsync(order.Id, Ct);
        await WriteUnannouncedAsync(order with { Status = "UNANNOUNCED" });
        Assert.Equal("FINDING", (await _api.GetAsync(order.Id, Ct))!.Status); // served locally

        await _redis.StopAsync();
        try
        {
            await WaitUntilAsync(() => Task.FromResult(!_near.IsLive), "the near cache suspends");
            // Nothing is served from memory while changes could go unannounced.
            var outage = await Record.ExceptionAsync(() => _api.GetAsync(order.Id, Ct));
            Assert.True(outage is RedisException or TimeoutException, $"expected a Redis failure, got {outage?.GetType().Name ?? "an answer"}");
        }
        finally
        {
            await _redis.StartAsync(); // empty: the old entries are gone with it
        }

        await WaitUntilAsync(() => Task.FromResult(_near.IsLive), "the near cache resumes", AfterOutage);
        var after = Order(5, "ASSIGNED") with { Id = order.Id };
        await WaitUntilAsync(async () =>
        {
            try
            {
                return await _cdc.SetIfNewerAsync(after, Ct);
            }
            catch (RedisConnectionException)
            {
                return false; // CdcSync's own connection is still reconnecting
            }
        }, "CdcSync's write lands", AfterOutage);
        await WaitUntilAsync(async () => (await _api.GetAsync(order.Id, Ct))?.Version == 5, "the read sees the write made after the outage");
        await _cdc.SetIfNewerAsync(after with { Version = 6 }, Ct);
        await WaitUntilAsync(async () => (await _api.GetAsync(order.Id, Ct))!.Version == 6, "invalidations flow after the outage");
    }
}
