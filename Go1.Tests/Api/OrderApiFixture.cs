using Go1.OrderApi.Apis;

namespace Go1.Tests.Api;

/// <summary>OrderApi in memory, on its own migrated database, authenticating through gateway headers.</summary>
public sealed class OrderApiFixture(PostgresServer postgres, RedisServer redis, KafkaMockCluster kafka) : IAsyncLifetime
{
    private ServiceFactory<OrderApiService>? _factory;

    public string ConnectionString { get; private set; } = string.Empty;

    public ServiceFactory<OrderApiService> Factory => _factory ?? throw new InvalidOperationException("Not initialized.");

    public async ValueTask InitializeAsync()
    {
        ConnectionString = await postgres.CreateMigratedDatabaseAsync("go1_api");
        _factory = new ServiceFactory<OrderApiService>(Settings(ConnectionString));
    }

    public Dictionary<string, string?> Settings(string connectionString) => new()
    {
        ["ConnectionStrings:go1"] = connectionString,
        ["ConnectionStrings:redis"] = redis.ConnectionString,
        ["ConnectionStrings:kafka"] = kafka.BootstrapServers,
        ["Auth:Mode"] = "GatewayHeaders",
        ["Auth:Gateway:SharedSecret"] = TestGateway.Secret,
    };

    /// <summary>A client that calls as <paramref name="userId"/> from <paramref name="audience"/>.</summary>
    public HttpClient ClientFor(string userId, string audience = "user_app", string? partnerId = null, string? platform = "ios")
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-User-Id", userId);
        client.DefaultRequestHeaders.Add(TestGateway.Header, TestGateway.Secret);
        client.DefaultRequestHeaders.Add("X-User-Audience", audience);
        if (platform is not null)
        {
            client.DefaultRequestHeaders.Add("X-User-Platform", platform);
        }

        if (partnerId is not null)
        {
            client.DefaultRequestHeaders.Add("X-Partner-Id", partnerId);
        }

        return client;
    }

    public static object ValidOrder(string serviceId = "taxi", string paymentMethod = "cash") => new
    {
        service_id = serviceId,
        payment_method = paymentMethod,
        points = new object[]
        {
            new { lat = 10.7769, lng = 106.7009, address = "Ben Thanh Market", type = "pickup", order = 0 },
            new { lat = 10.8188, lng = 106.6519, address = "Tan Son Nhat Airport", type = "dropoff", order = 1 },
        },
        metadata = new { source = "test" },
    };

    public static async Task<OrderResponse> ReadOrderAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<OrderResponse>(OrderJson.Options, TestContext.Current.CancellationToken))!;

    public async ValueTask DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
    }
}
