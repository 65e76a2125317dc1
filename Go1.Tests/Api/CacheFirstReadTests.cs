using Go1.Orders.Infrastructure.Cache;

namespace Go1.Tests.Api;

/// <summary>GET /orders/{id} reads Redis first, fills it on a miss, and never fails because Redis does.</summary>
public sealed class CacheFirstReadTests(PostgresServer postgres, KafkaMockCluster kafka) : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly RedisServer _redis = new(); // private: this test takes it down
    private ServiceFactory<OrderApiService> _api = null!;

    public async ValueTask InitializeAsync()
    {
        await _redis.InitializeAsync();
        _api = new ServiceFactory<OrderApiService>(new Dictionary<string, string?>
        {
            ["ConnectionStrings:go1"] = await postgres.CreateMigratedDatabaseAsync("go1_cache"),
            ["ConnectionStrings:redis"] = _redis.ConnectionString,
            ["ConnectionStrings:kafka"] = kafka.BootstrapServers,
            ["Auth:Mode"] = "GatewayHeaders",
            ["Auth:Gateway:SharedSecret"] = TestGateway.Secret,
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _api.DisposeAsync();
        await _redis.DisposeAsync();
    }

    private HttpClient Rider(string user)
    {
        var client = _api.CreateClient();
        client.DefaultRequestHeaders.Add("X-User-Id", user);
        client.DefaultRequestHeaders.Add(TestGateway.Header, TestGateway.Secret);
        client.DefaultRequestHeaders.Add("X-User-Audience", "user_app");
        return client;
    }

    [Fact]
    public async Task A_miss_fills_the_cache_and_the_next_read_is_served_from_it()
    {
        var client = Rider("cache-user");
        var created = await OrderApiFixture.ReadOrderAsync(await client.PostAsJsonAsync("/orders", OrderApiFixture.ValidOrder(), Ct));
        await using var redis = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        var key = RedisOrderCache.Key(created.Id);
        Assert.False(await redis.GetDatabase().KeyExistsAsync(key));

        var first = await client.GetAsync($"/orders/{created.Id}", Ct);
        var cached = JsonSerializer.Deserialize<OrderDocument>((await redis.GetDatabase().StringGetAsync(key)).ToString(), OrderJson.Options);
        Assert.Equal(created.Id, cached!.Id);

        // Served from the cache: change the cached copy (same version) and read it back through the API.
        await redis.GetDatabase().StringSetAsync(key, JsonSerializer.Serialize(cached with { SubStatus = "FROM_CACHE" }, OrderJson.Options));
        var second = await OrderApiFixture.ReadOrderAsync(await client.GetAsync($"/orders/{created.Id}", Ct));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("FROM_CACHE", second.SubStatus);
    }

    [Fact]
    public async Task A_cached_entry_that_is_json_but_not_an_order_is_read_from_postgres_and_replaced()
    {
        var client = Rider("cache-foreign-user");
        var created = await OrderApiFixture.ReadOrderAsync(await client.PostAsJsonAsync("/orders", OrderApiFixture.ValidOrder(), Ct));
        await using var redis = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        var key = RedisOrderCache.Key(created.Id);
        await redis.GetDatabase().StringSetAsync(key, "{\"version\":1}");

        using var read = await client.GetAsync($"/orders/{created.Id}", Ct);

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(created.Id, (await OrderApiFixture.ReadOrderAsync(read)).Id);
        Assert.Contains(created.Id.ToString(), (await redis.GetDatabase().StringGetAsync(key)).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_redis_down_reads_are_served_from_postgres()
    {
        var client = Rider("outage-user");
        var created = await OrderApiFixture.ReadOrderAsync(await client.PostAsJsonAsync("/orders", OrderApiFixture.ValidOrder(), Ct));

        await _redis.StopAsync();
        try
        {
            for (var i = 0; i < 5; i++)
            {
                var response = await client.GetAsync($"/orders/{created.Id}", Ct);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal(created.Id, (await OrderApiFixture.ReadOrderAsync(response)).Id);
            }
        }
        finally
        {
            await _redis.StartAsync();
        }
    }
}
