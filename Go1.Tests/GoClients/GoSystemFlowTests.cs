using Go1.OrderWorker;
using Go1.Tests.Api;
using Go1.Tests.Saga;

namespace Go1.Tests.GoClients;

/// <summary>
/// The Go system's own flow (its scripts/test_flow), replayed byte for byte against Go1: its HTTP request, then the
/// two Kafka messages its sarama producer writes (key = order id, JSON value, no headers), through the API, the
/// outbox, OrderWorker's consumers and the workflow port (recording here; no Temporal server).
/// </summary>
public sealed class GoSystemFlowTests(PostgresServer postgres, RedisServer redis)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_go_flow_creates_the_order_dispatches_it_to_driver_123_and_delivers_it()
    {
        await using var kafka = new KafkaMockCluster();
        await kafka.InitializeAsync();
        foreach (var topic in new[] { OrderCreated.Topic, DispatchEvent.Topic, ShipmentEvent.Topic })
        {
            kafka.CreateConsumedTopic(topic);
        }

        var db = await postgres.CreateMigratedDatabaseAsync("go1_goflow");
        var temporal = new RecordingOrderWorkflows { SignalsNeedAStart = true };
        // The Go system trusted X-User-Id / X-User-Audience as they came, as Go1 does in Development.
        await using var api = new ServiceFactory<OrderApiService>(new Dictionary<string, string?>
        {
            ["ConnectionStrings:go1"] = db,
            ["ConnectionStrings:redis"] = redis.ConnectionString,
            ["ConnectionStrings:kafka"] = kafka.BootstrapServers,
            ["Auth:Mode"] = "GatewayHeaders",
            ["Outbox:Relay:PollInterval"] = "00:00:00.200",
        }, environment: "Development");
        await using var worker = new ServiceFactory<OrderWorkerService>(new Dictionary<string, string?>
        {
            ["ConnectionStrings:go1"] = db,
            ["ConnectionStrings:kafka"] = kafka.BootstrapServers,
            ["ConnectionStrings:temporal"] = "127.0.0.1:1",
            ["Saga:WorkerEnabled"] = "false",
            ["Saga:Reconciler:Enabled"] = "false",
            ["Aspire:Confluent:Kafka:Consumer:Config:FetchWaitMaxMs"] = "10",
        }, services: s => s.AddSingleton<IOrderWorkflows>(temporal));
        _ = worker.Services;

        // 1. POST /orders as the Go script does.
        var client = api.CreateClient();
        client.DefaultRequestHeaders.Add("X-User-Id", "cust_123");
        client.DefaultRequestHeaders.Add("X-User-Audience", "admin_portal");
        var response = await client.PostAsync("/orders", new StringContent(OrdersApiTests.GoSystemBody, Encoding.UTF8, "application/json"), Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, body);
        var orderId = JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!; // the Go client reads data.id, else id
        var id = Guid.Parse(orderId);
        await Eventually.HoldsAsync(() => temporal.Calls.Any(c => c.Kind == "start" && c.OrderId == id), TimeSpan.FromSeconds(30), "the saga starts");

        // 2. and 3. The two messages exactly as its producer writes them: json.Marshal of its structs, key = order id, no headers.
        using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers, Acks = Acks.All }).Build())
        {
            await producer.ProduceAsync(DispatchEvent.Topic, new Message<string, byte[]>
            {
                Key = orderId, Value = Encoding.UTF8.GetBytes($$"""{"order_id":"{{orderId}}","dispatch_status":"success"}"""),
            }, Ct);
            await producer.ProduceAsync(ShipmentEvent.Topic, new Message<string, byte[]>
            {
                Key = orderId, Value = Encoding.UTF8.GetBytes($$"""{"order_id":"{{orderId}}","status":"DELIVERED"}"""),
            }, Ct);
        }

        await Eventually.HoldsAsync(() => temporal.Calls.Count(c => c.OrderId == id && c.Kind is "dispatched" or "delivered") >= 2, TimeSpan.FromSeconds(30),
            "the dispatch and the delivery reach the saga");
        // Two topics, so no order between them; the workflow takes a delivery that overtook its dispatch.
        var calls = temporal.Calls.Where(c => c.OrderId == id).Select(c => c.ToString()).Distinct().ToList();
        Assert.Equal($"start {id} from FINDING", calls[0]);
        Assert.Equal([$"delivered {id}", $"dispatched {id} driver_123"], calls.Skip(1).Order());
    }
}
