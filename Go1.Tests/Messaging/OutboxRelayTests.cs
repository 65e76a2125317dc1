using Go1.Tests.Api;
using OutboxRelay = Go1.OrderApi.Outbox.OutboxRelay;

namespace Go1.Tests.Messaging;

/// <summary>The outbox relay against real PostgreSQL and a real Kafka protocol peer: nothing is lost, whatever fails.</summary>
public sealed class OutboxRelayTests(OrderApiFixture api, PostgresServer postgres, RedisServer redis, KafkaMockCluster sharedKafka, ITestOutputHelper output)
    : IClassFixture<OrderApiFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<long> UnpublishedAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM outbox WHERE published_at IS NULL");
    }

    private ServiceFactory<OrderApiService> Api(string connectionString, string bootstrapServers, bool relay = true, int batchSize = 200, int messageTimeoutMs = 30_000) =>
        new(new Dictionary<string, string?>
        {
            ["Aspire:Confluent:Kafka:Producer:Config:MessageTimeoutMs"] = messageTimeoutMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Outbox:Relay:BatchSize"] = batchSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Outbox:Relay:MaxRejections"] = "3",
            ["ConnectionStrings:go1"] = connectionString,
            ["ConnectionStrings:redis"] = redis.ConnectionString,
            ["ConnectionStrings:kafka"] = bootstrapServers,
            ["Auth:Mode"] = "GatewayHeaders",
            ["Auth:Gateway:SharedSecret"] = TestGateway.Secret,
            ["Outbox:Relay:Enabled"] = relay ? "true" : "false",
            ["Outbox:Relay:PollInterval"] = "00:00:00.200",
            ["Outbox:Relay:RetryDelay"] = "00:00:00.200",
        });

    private static HttpClient Rider(ServiceFactory<OrderApiService> factory)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-User-Id", $"rider-{Guid.NewGuid():N}");
        client.DefaultRequestHeaders.Add(TestGateway.Header, TestGateway.Secret);
        client.DefaultRequestHeaders.Add("X-User-Audience", "user_app");
        return client;
    }

    private static async Task<List<Guid>> CreateOrdersAsync(HttpClient client, int count)
    {
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            var response = await client.PostAsJsonAsync("/orders", OrderApiFixture.ValidOrder(), Ct);
            ids.Add((await OrderApiFixture.ReadOrderAsync(response)).Id);
        }

        return ids;
    }

    [Fact]
    public async Task An_order_yields_exactly_one_order_created_event_keyed_by_order_id_with_the_requests_trace()
    {
        var traceId = System.Diagnostics.ActivityTraceId.CreateRandom().ToHexString();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/orders") { Content = JsonContent.Create(OrderApiFixture.ValidOrder()) };
        request.Headers.Add("traceparent", $"00-{traceId}-{System.Diagnostics.ActivitySpanId.CreateRandom().ToHexString()}-01");
        var order = await OrderApiFixture.ReadOrderAsync(await api.ClientFor($"rider-{Guid.NewGuid():N}").SendAsync(request, Ct));
        var key = order.Id.ToString();

        var messages = TopicReader.ReadUntil(sharedKafka.BootstrapServers, "orders.events", read => read.Any(m => m.Message.Key == key), TimeSpan.FromSeconds(30))
            .Where(m => m.Message.Key == key).ToList();

        var message = Assert.Single(messages);
        Assert.Equal("OrderCreated", message.Header("event-type"));
        Assert.Contains(traceId, message.Header("traceparent"), StringComparison.Ordinal);
        using var payload = JsonDocument.Parse(message.Message.Value);
        Assert.Equal(order.Id, payload.RootElement.GetProperty("order_id").GetGuid());
        Assert.Equal(message.Header("event-id"), payload.RootElement.GetProperty("event_id").GetGuid().ToString());
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await Eventually.HoldsAsync(async () => await connection.ExecuteScalarAsync<DateTime?>("SELECT published_at FROM outbox WHERE aggregate_id = @id", new { id = order.Id }) is not null, TimeSpan.FromSeconds(10), "the event is published");
    }

    [Fact]
    public async Task Every_event_arrives_after_all_brokers_were_down_for_ten_seconds_and_the_outbox_drains()
    {
        await using var kafka = new KafkaMockCluster();
        await kafka.InitializeAsync();
        kafka.CreateTopic("orders.events", partitions: 3);
        var connectionString = await postgres.CreateMigratedDatabaseAsync("go1_outage");
        await using var factory = Api(connectionString, kafka.BootstrapServers);
        var client = Rider(factory);

        foreach (var broker in new[] { 1, 2, 3 })
        {
            kafka.SetBrokerDown(broker);
        }

        var started = DateTime.UtcNow;
        var ids = await CreateOrdersAsync(client, 200);
        await Task.Delay(TimeSpan.FromSeconds(10) - (DateTime.UtcNow - started) is { Ticks: > 0 } rest ? rest : TimeSpan.Zero, Ct);
        Assert.Equal(200, await UnpublishedAsync(connectionString));
        foreach (var broker in new[] { 1, 2, 3 })
        {
            kafka.SetBrokerUp(broker);
        }

        var expected = ids.Select(id => id.ToString()).ToHashSet();
        var messages = TopicReader.ReadUntil(kafka.BootstrapServers, "orders.events", read => expected.IsSubsetOf(read.Select(m => m.Message.Key)), TimeSpan.FromSeconds(90));

        Assert.Subset(messages.Select(m => m.Message.Key).ToHashSet(), expected);
        await Eventually.HoldsAsync(async () => await UnpublishedAsync(connectionString) == 0, TimeSpan.FromSeconds(30), "the outbox is drained");
        output.WriteLine($"200 events, {messages.Count - messages.Select(m => m.Message.Key).Distinct().Count()} duplicate(s) after the outage");
    }

    [Fact]
    public async Task A_relay_stopped_mid_batch_and_restarted_loses_nothing()
    {
        await using var kafka = new KafkaMockCluster();
        await kafka.InitializeAsync();
        kafka.CreateTopic("orders.events", partitions: 3);
        var connectionString = await postgres.CreateMigratedDatabaseAsync("go1_restart");
        List<Guid> ids;
        await using (var first = Api(connectionString, kafka.BootstrapServers, relay: false))
        {
            ids = await CreateOrdersAsync(Rider(first), 300);
            foreach (var broker in new[] { 1, 2, 3 })
            {
                kafka.SetBrokerDown(broker);
            }

            // The batch is claimed and handed to the producer, then the relay stops before any ack.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            stop.CancelAfter(TimeSpan.FromSeconds(2));
            var relay = first.Services.GetRequiredService<OutboxRelay>();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => relay.RelayBatchAsync(stop.Token));
            Assert.Equal(300, await UnpublishedAsync(connectionString));
        }

        foreach (var broker in new[] { 1, 2, 3 })
        {
            kafka.SetBrokerUp(broker);
        }

        await using var restarted = Api(connectionString, kafka.BootstrapServers);
        _ = restarted.Services; // starts the host, and with it the relay
        var expected = ids.Select(id => id.ToString()).ToHashSet();
        var messages = TopicReader.ReadUntil(kafka.BootstrapServers, "orders.events", read => expected.IsSubsetOf(read.Select(m => m.Message.Key)), TimeSpan.FromSeconds(60));

        Assert.Subset(messages.Select(m => m.Message.Key).ToHashSet(), expected);
        await Eventually.HoldsAsync(async () => await UnpublishedAsync(connectionString) == 0, TimeSpan.FromSeconds(30), "the outbox is drained");
        output.WriteLine($"300 events, {messages.Count - messages.Select(m => m.Message.Key).Distinct().Count()} duplicate(s) after the restart");
    }

    [Fact]
    public async Task A_message_kafka_refuses_for_good_is_parked_and_never_starves_the_others()
    {
        var connectionString = await postgres.CreateMigratedDatabaseAsync("go1_poison");
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            // The oldest row, so first in every claim: 2 MB is over the producer's 1 MB message limit, whatever is retried.
            await connection.ExecuteAsync("""
                INSERT INTO outbox (event_id, aggregate_id, event_type, topic, payload, created_at)
                VALUES ('00000000-0000-7000-8000-000000000001', gen_random_uuid(), 'OrderCreated', 'orders.events',
                        jsonb_build_object('blob', repeat('x', 2000000)), now() - interval '1 minute')
                """);
        }

        await using var factory = Api(connectionString, sharedKafka.BootstrapServers, batchSize: 1);
        var order = Assert.Single(await CreateOrdersAsync(Rider(factory), 1));

        await Eventually.HoldsAsync(async () => await UnpublishedAsync(connectionString) == 1, TimeSpan.FromSeconds(30), "the order's event is published past the refused one");
        await using var db = new NpgsqlConnection(connectionString);
        await Eventually.HoldsAsync(async () => await db.ExecuteScalarAsync<bool>("SELECT parked_at IS NOT NULL FROM outbox WHERE event_id = '00000000-0000-7000-8000-000000000001'"),
            TimeSpan.FromSeconds(30), "the refused message is parked");
        var parked = await db.QuerySingleAsync<(int Rejections, string LastError)>("SELECT rejections, last_error FROM outbox WHERE parked_at IS NOT NULL");
        Assert.Equal(3, parked.Rejections);
        Assert.Contains("size", parked.LastError, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(order, await db.ExecuteScalarAsync<Guid>("SELECT aggregate_id FROM outbox WHERE published_at IS NOT NULL"));

        // The documented re-drive puts it back in line (here it is refused again: nothing else changed).
        Assert.Equal(1, await db.ExecuteScalarAsync<int>("SELECT outbox_redrive()"));
        Assert.Equal(0, await db.ExecuteScalarAsync<int>("SELECT count(*) FROM outbox WHERE parked_at IS NOT NULL"));
    }

    [Fact]
    public async Task A_broker_outage_is_never_taken_for_a_refusal_nothing_is_parked()
    {
        await using var kafka = new KafkaMockCluster();
        await kafka.InitializeAsync();
        kafka.CreateTopic("orders.events", partitions: 3);
        var connectionString = await postgres.CreateMigratedDatabaseAsync("go1_no_park");
        foreach (var broker in new[] { 1, 2, 3 })
        {
            kafka.SetBrokerDown(broker);
        }

        // Every round times out after 1 s: more failed rounds than MaxRejections (3) while the brokers are down.
        await using var factory = Api(connectionString, kafka.BootstrapServers, messageTimeoutMs: 1000);
        var ids = await CreateOrdersAsync(Rider(factory), 5);
        await using var db = new NpgsqlConnection(connectionString);
        await Eventually.HoldsAsync(async () => await db.ExecuteScalarAsync<int>("SELECT min(attempts) FROM outbox") > 3, TimeSpan.FromSeconds(60), "several failed rounds");
        foreach (var broker in new[] { 1, 2, 3 })
        {
            kafka.SetBrokerUp(broker);
        }

        await Eventually.HoldsAsync(async () => await UnpublishedAsync(connectionString) == 0, TimeSpan.FromSeconds(60), "the outbox drains");
        Assert.Equal(0, await db.ExecuteScalarAsync<int>("SELECT count(*) FROM outbox WHERE parked_at IS NOT NULL OR rejections > 0"));
        Assert.Equal(ids.Count, await db.ExecuteScalarAsync<int>("SELECT count(*) FROM outbox WHERE published_at IS NOT NULL"));
    }

    [Fact]
    public async Task A_topic_the_relay_may_not_write_for_a_while_is_an_outage_not_a_refusal_of_its_messages()
    {
        // An ACL rolled out wrong refuses every message of the topic: parking them all would take a manual re-drive and
        // break per-key order. They wait, and flow once the broker lets them through.
        await using var kafka = new KafkaMockCluster();
        await kafka.InitializeAsync();
        kafka.CreateTopic("orders.events", partitions: 1);
        const short produce = 0;
        const int topicAuthorizationFailed = 29;
        kafka.PushRequestErrors(produce, [.. Enumerable.Repeat(topicAuthorizationFailed, 6)]);
        var connectionString = await postgres.CreateMigratedDatabaseAsync("go1_acl");

        await using var factory = Api(connectionString, kafka.BootstrapServers);
        await CreateOrdersAsync(Rider(factory), 1);

        await Eventually.HoldsAsync(async () => await UnpublishedAsync(connectionString) == 0, TimeSpan.FromSeconds(60), "the message is published once allowed");
        await using var db = new NpgsqlConnection(connectionString);
        Assert.Equal((0, false), await db.QuerySingleAsync<(int, bool)>("SELECT rejections, parked_at IS NOT NULL FROM outbox"));
        Assert.True(await db.ExecuteScalarAsync<int>("SELECT attempts FROM outbox") > 3, "the broker refused it several times first");
    }
}
