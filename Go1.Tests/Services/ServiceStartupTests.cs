using Go1.OrderWorker;
using Go1.Tests.ChangeCapture;

namespace Go1.Tests.Services;

/// <summary>Each service starts with its clients wired to real servers and tells the truth on /health.</summary>
public sealed class ServiceStartupTests(PostgresServer postgres, RedisServer redis, KafkaMockCluster kafka)
{
    private async Task<Dictionary<string, string?>> SettingsAsync() => new()
    {
        ["ConnectionStrings:go1"] = await postgres.CreateMigratedDatabaseAsync(),
        ["ConnectionStrings:redis"] = redis.ConnectionString,
        ["ConnectionStrings:kafka"] = kafka.BootstrapServers,
        ["Auth:Mode"] = "GatewayHeaders",
        ["Auth:Gateway:SharedSecret"] = Go1.Tests.Api.TestGateway.Secret,
    };

    private static async Task<(HttpStatusCode Health, HttpStatusCode Alive)> ProbeAsync(HttpClient client)
    {
        var health = await client.GetAsync(new Uri("/health", UriKind.Relative), TestContext.Current.CancellationToken);
        var alive = await client.GetAsync(new Uri("/alive", UriKind.Relative), TestContext.Current.CancellationToken);
        return (health.StatusCode, alive.StatusCode);
    }

    [Fact]
    public async Task OrderApi_is_ready_with_postgres_redis_and_kafka()
    {
        await using var factory = new ServiceFactory<OrderApiService>(await SettingsAsync());
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), await ProbeAsync(factory.CreateClient()));
    }

    [Fact]
    public async Task OrderApi_stays_ready_but_reports_degraded_while_kafka_is_unreachable()
    {
        var settings = await SettingsAsync();
        settings["ConnectionStrings:kafka"] = $"127.0.0.1:{FreePort.Next()}";
        await using var factory = new ServiceFactory<OrderApiService>(settings);
        var client = factory.CreateClient();

        var health = await client.GetAsync(new Uri("/health", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Degraded", await health.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task CdcSync_is_ready_streaming_from_postgres_into_redis()
    {
        await using var cdc = CdcSyncHost.Postgres(await postgres.CreateMigratedDatabaseAsync(), redis.ConnectionString);
        await cdc.StartAsync();
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), await ProbeAsync(cdc.Factory.CreateClient()));
    }

    [Fact]
    public async Task CdcSync_with_the_debezium_source_is_ready_with_kafka_and_redis()
    {
        await using var cdc = CdcSyncHost.Debezium($"go1.public.orders.{Guid.NewGuid():N}", kafka.BootstrapServers, redis.ConnectionString);
        await cdc.StartAsync();
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), await ProbeAsync(cdc.Factory.CreateClient()));
    }

    [Fact]
    public async Task OrderWorker_is_alive_but_not_ready_while_temporal_is_unreachable()
    {
        var settings = await SettingsAsync();
        settings["ConnectionStrings:temporal"] = $"127.0.0.1:{FreePort.Next()}";
        await using var factory = new ServiceFactory<OrderWorkerService>(settings);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK), await ProbeAsync(factory.CreateClient()));
    }
}
