using Go1.Tests.Api;

namespace Go1.Tests.ChangeCapture;

/// <summary>Changes committed while Redis is down are not skipped: CdcSync reports it, retries, and catches up.</summary>
public sealed class CdcRedisOutageTests(PostgresServer postgres, KafkaMockCluster kafka) : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly RedisServer _redis = new(); // private: this test takes it down
    private string _database = string.Empty;
    private ServiceFactory<OrderApiService> _api = null!;
    private CdcSyncHost _cdc = null!;

    public async ValueTask InitializeAsync()
    {
        await _redis.InitializeAsync();
        _database = await postgres.CreateMigratedDatabaseAsync("go1_cdc_outage");
        _api = new ServiceFactory<OrderApiService>(new Dictionary<string, string?>
        {
            ["ConnectionStrings:go1"] = _database,
            ["ConnectionStrings:redis"] = _redis.ConnectionString,
            ["ConnectionStrings:kafka"] = kafka.BootstrapServers,
            ["Auth:Mode"] = "GatewayHeaders",
            ["Auth:Gateway:SharedSecret"] = TestGateway.Secret,
        });
        _cdc = CdcSyncHost.Postgres(_database, _redis.ConnectionString, ("CdcSync:MaxRetryDelay", "00:00:01"));
        await _cdc.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _cdc.DisposeAsync();
        await _api.DisposeAsync();
        await _redis.DisposeAsync();
    }

    private async Task<string> HealthAsync() =>
        await (await _cdc.Factory.CreateClient().GetAsync("/health", Ct)).Content.ReadAsStringAsync(Ct);

    [Fact]
    public async Task Changes_made_while_redis_is_down_reach_it_once_it_is_back()
    {
        var client = _api.CreateClient();
        client.DefaultRequestHeaders.Add("X-User-Id", "outage-rider");
        client.DefaultRequestHeaders.Add(TestGateway.Header, TestGateway.Secret);
        client.DefaultRequestHeaders.Add("X-User-Audience", "user_app");
        var response = await client.PostAsJsonAsync("/orders", OrderApiFixture.ValidOrder(), Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var order = await OrderApiFixture.ReadOrderAsync(response);
        await using (var redis = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString))
        {
            await RedisOrders.WaitForVersionAsync(redis.GetDatabase(), order.Id, 1, TimeSpan.FromSeconds(5));
        }

        await _redis.StopAsync();
        await using (var connection = new NpgsqlConnection(_database))
        {
            await connection.OpenAsync(Ct);
            for (var i = 0; i < 2; i++)
            {
                await using var update = new NpgsqlCommand("UPDATE orders SET sub_status = 'DURING_OUTAGE' WHERE id = $1", connection) { Parameters = { new() { Value = order.Id } } };
                await update.ExecuteNonQueryAsync(Ct);
            }
        }

        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (await HealthAsync() == "Healthy") // Unhealthy: Redis's own check fails too
        {
            Assert.True(DateTime.UtcNow < deadline, "CdcSync stayed healthy while Redis was down");
            await Task.Delay(100, Ct);
        }

        await _redis.StartAsync();
        await using (var redis = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString))
        {
            var (entry, _) = await RedisOrders.WaitForVersionAsync(redis.GetDatabase(), order.Id, 3, TimeSpan.FromSeconds(30));
            Assert.Equal("DURING_OUTAGE", RedisOrders.View(entry).SubStatus);
        }

        Assert.Equal("Healthy", await HealthAsync());
    }
}
