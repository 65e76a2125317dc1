using System.Text.Json.Nodes;
using Go1.CdcSync;
using Go1.CdcSync.Debezium;
using Go1.Messaging;
using Go1.Tests.Messaging;
using CdcSyncWorker = Go1.CdcSync.CdcSyncWorker;

namespace Go1.Tests.ChangeCapture;

/// <summary>CdcSync with the Debezium source: real-shaped records produced to the Kafka peer land in Redis.</summary>
public sealed class DebeziumChangeSourceTests(RedisServer redis, KafkaMockCluster kafka) : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly string _topic = $"go1.public.orders.{Guid.NewGuid():N}";
    private CdcSyncHost _cdc = null!;
    private ConnectionMultiplexer _redis = null!;
    private IProducer<string, byte[]> _producer = null!;

    private IDatabase Redis => _redis.GetDatabase();

    public async ValueTask InitializeAsync()
    {
        // One partition: the assertions below rely on records being handled in the order they were produced.
        kafka.CreateConsumedTopic(_topic);
        _redis = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        _producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers, EnableIdempotence = true }).Build();
        _cdc = CdcSyncHost.Debezium(_topic, kafka.BootstrapServers, redis.ConnectionString);
        await _cdc.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _cdc.DisposeAsync();
        _producer.Dispose();
        await _redis.DisposeAsync();
    }

    private Task ProduceAsync(Guid orderId, JsonNode? record) => ProduceAsync(orderId, record is null ? null : Encoding.UTF8.GetBytes(record.ToJsonString()));

    private async Task ProduceAsync(Guid orderId, byte[]? value) =>
        await _producer.ProduceAsync(_topic, new Message<string, byte[]> { Key = OrderRows.DebeziumKey(orderId), Value = value! }, Ct);

    [Fact]
    public async Task Snapshot_create_update_delete_and_tombstone_records_keep_redis_in_step()
    {
        var a = OrderRows.Order(version: 1);
        var b = OrderRows.Order(version: 1, paymentMethod: "cash");
        var aAssigned = a with { Version = 2, Status = "ASSIGNED", Driver = new("drv-9", "+84900000009", "Minh") };

        await ProduceAsync(a.Id, OrderRows.Debezium(a, "r"));                             // snapshot, JSONB as strings
        await ProduceAsync(b.Id, OrderRows.Debezium(b, "c", jsonbAsObjects: true));       // JSONB as objects
        await ProduceAsync(a.Id, OrderRows.Debezium(aAssigned, "u"));
        await ProduceAsync(a.Id, OrderRows.Debezium(a, "u"));                             // late and older: must not win
        await ProduceAsync(b.Id, OrderRows.Debezium(b, "d", deleted: true));              // rewritten delete...
        await ProduceAsync(b.Id, (JsonNode?)null);                                        // ...and its tombstone
        var sentinel = OrderRows.Order(version: 1);
        await ProduceAsync(sentinel.Id, OrderRows.Debezium(sentinel, "c"));

        await RedisOrders.WaitForVersionAsync(Redis, sentinel.Id, 1, Wait);
        var cachedA = await RedisOrders.ReadAsync(Redis, a.Id);
        Assert.Equal(OrderRows.Json(aAssigned), cachedA!.Json);
        var cachedB = await RedisOrders.ReadAsync(Redis, b.Id);
        Assert.Equal((true, 1L), (cachedB!.Deleted, cachedB.Version));
    }

    [Fact]
    public async Task Records_at_hand_reach_the_projector_together_in_batches_of_bounded_size()
    {
        // A topic of its own (and so a group of its own), filled before its consumer starts: all of it is at hand at once.
        var topic = $"go1.public.orders.{Guid.NewGuid():N}";
        kafka.CreateConsumedTopic(topic);
        var order = OrderRows.Order(version: 1);
        const int Updates = 600;
        for (var version = 1; version <= Updates; version++)
        {
            _producer.Produce(topic, OrderRows.DebeziumMessage(order with { Version = version }, "u"));
        }

        _producer.Flush(Ct);
        var source = new DebeziumOrderChangeSource(_cdc.Factory.Services, Options.Create(new CdcSyncOptions { Source = ChangeSourceKind.Debezium, DebeziumTopic = topic }));
        var batches = new ConcurrentQueue<OrderChange[]>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var run = source.RunAsync((changes, _) =>
        {
            batches.Enqueue([.. changes]);
            return Task.CompletedTask;
        }, () => { }, stop.Token);
        try
        {
            await Eventually.HoldsAsync(() => batches.Sum(b => b.Length) >= Updates, Wait, "all 600 records applied");

            Assert.All(batches, b => Assert.InRange(b.Length, 1, 256));
            Assert.True(batches.Count < Updates / 10, $"{Updates} records at hand took {batches.Count} batches ({string.Join(", ", batches.Take(8).Select(b => b.Length))}, …)");
            Assert.Equal(Enumerable.Range(1, Updates).Select(v => (long)v), batches.SelectMany(b => b).Select(c => c.Version));
        }
        finally
        {
            await stop.CancelAsync();
            await run; // the consume loop ends quietly when stopped
        }
    }

    [Fact]
    public async Task It_streams_only_once_the_group_has_given_it_the_topic()
    {
        await using var cluster = new KafkaMockCluster();
        await cluster.InitializeAsync();
        Assert.SkipUnless(cluster.IsMock, "Needs the librdkafka mock cluster to take brokers down (GO1_TEST_KAFKA is set).");
        var topic = $"go1.public.orders.{Guid.NewGuid():N}";
        foreach (var name in new[] { topic, topic + ".retry", topic + ".dlq" })
        {
            cluster.CreateTopic(name);
        }

        var brokers = new[] { 1, 2, 3 };
        Array.ForEach(brokers, cluster.SetBrokerDown);
        await using var cdc = CdcSyncHost.Debezium(topic, cluster.BootstrapServers, redis.ConnectionString);
        await cdc.StartAsync();
        var worker = cdc.Factory.Services.GetRequiredService<CdcSyncWorker>();

        await Task.Delay(TimeSpan.FromSeconds(2), Ct); // its consumer exists, but no broker can assign it anything
        var unassigned = await worker.CheckHealthAsync(new HealthCheckContext(), Ct);
        Assert.Equal(HealthStatus.Degraded, unassigned.Status);
        Assert.Contains("connecting", unassigned.Description, StringComparison.Ordinal);

        Array.ForEach(brokers, cluster.SetBrokerUp);
        await Eventually.HoldsAsync(
            async () => (await worker.CheckHealthAsync(new HealthCheckContext(), Ct)).Status == HealthStatus.Healthy,
            TimeSpan.FromSeconds(30), "healthy once the group assigned the topic");
    }

    [Fact]
    public async Task A_malformed_record_is_dead_lettered_and_the_stream_goes_on()
    {
        var broken = Guid.CreateVersion7();
        await ProduceAsync(broken, Encoding.UTF8.GetBytes("{ this is not json"));
        var withoutColumns = new JsonObject { ["id"] = broken.ToString(), ["__op"] = "c" };
        await ProduceAsync(broken, withoutColumns);
        var good = OrderRows.Order(version: 4);
        await ProduceAsync(good.Id, OrderRows.Debezium(good, "u"));

        var (entry, _) = await RedisOrders.WaitForVersionAsync(Redis, good.Id, 4, Wait);
        Assert.Equal(OrderRows.Json(good), entry.Json);
        var parked = TopicReader.ReadUntil(kafka.BootstrapServers, _topic + ".dlq", read => read.Count >= 2, Wait);
        Assert.Equal(2, parked.Count);
        Assert.All(parked, p => Assert.Contains("Debezium", p.Header(RetryHeaders.Error), StringComparison.Ordinal));
        Assert.Null(await RedisOrders.ReadAsync(Redis, broken));
    }

    [Fact]
    public async Task A_record_of_an_order_this_code_cannot_read_evicts_the_order_rather_than_leave_its_older_version_served()
    {
        var order = OrderRows.Order(version: 1);
        await ProduceAsync(order.Id, OrderRows.Debezium(order, "c"));
        await RedisOrders.WaitForVersionAsync(Redis, order.Id, 1, Wait);

        var unknownStatus = OrderRows.Debezium(order with { Version = 2 }, "u");
        unknownStatus["status"] = "NOT-A-STATUS";
        await ProduceAsync(order.Id, unknownStatus);

        var (evicted, _) = await RedisOrders.WaitAsync(Redis, order.Id, e => e.Deleted, Wait);
        Assert.Equal(2, evicted.Version);
        Assert.Empty(TopicReader.ReadUntil(kafka.BootstrapServers, _topic + ".dlq", _ => false, TimeSpan.FromSeconds(2)));
    }
}
