using Go1.OrderWorker;
using Go1.Tests.Api;
using Go1.Tests.ChangeCapture;
using Go1.Tests.Saga;

namespace Go1.Tests.ScaleOut;

/// <summary>
/// Two of each service at once, on one real PostgreSQL, one real Redis and a private Kafka protocol peer, with the
/// workflow port recording (no Temporal here): 500 orders created across both APIs while one worker is stopped and
/// restarted and one API is killed with a batch in flight; then dispatch and shipment events while the other worker
/// restarts; then the streaming CdcSync is killed while orders change. Nothing may be lost, no saga started twice,
/// no per-key order broken, and the standby CdcSync must take over within 10 s.
/// </summary>
public sealed class ScaleOutTests(PostgresServer postgres, RedisServer redis, ITestOutputHelper output)
{
    private const int Orders = 500;
    private static readonly string[] Topics = [OrderCreated.Topic, DispatchEvent.Topic, ShipmentEvent.Topic];
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Sample(double Seconds, long OutboxBacklog, long ConsumerLag, int Started);

    [Fact]
    public async Task Two_of_each_service_lose_nothing_start_no_saga_twice_keep_per_key_order_and_hand_the_slot_over()
    {
        await using var kafka = new KafkaMockCluster();
        await kafka.InitializeAsync();
        foreach (var topic in Topics)
        {
            kafka.CreateConsumedTopic(topic, partitions: 3, retryPartitions: 3);
        }

        var db = await postgres.CreateMigratedDatabaseAsync("go1_scale");
        var temporal = new RecordingOrderWorkflows { SignalsNeedAStart = true };
        var slot = $"scale_{Guid.NewGuid():N}";
        var clock = Stopwatch.StartNew();
        var samples = new ConcurrentQueue<Sample>();
        using var sampling = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var sampler = SampleAsync(db, kafka.BootstrapServers, temporal, clock, samples, sampling.Token);

        await using var cdcA = CdcHost(db, slot);
        await using var cdcB = CdcHost(db, slot);
        await cdcA.StartAsync();
        await cdcB.StartAsync();
        var standbySince = clock.Elapsed;
        var api1 = Api(db, kafka.BootstrapServers);
        var api2 = Api(db, kafka.BootstrapServers);
        var worker1 = Worker(db, kafka.BootstrapServers, temporal);
        var worker2 = Worker(db, kafka.BootstrapServers, temporal);
        _ = worker1.Services;
        _ = worker2.Services;
        var created = new ConcurrentBag<Guid>();
        var faults = new List<string>();
        try
        {
            // Orders across both APIs; worker 1 stops after 100 and comes back after 250, five seconds later.
            await CreateAsync([api1, api2], 0, 100, created);
            await worker1.DisposeAsync();
            faults.Add($"{clock.Elapsed.TotalSeconds:0.0} s: worker 1 stopped");
            for (var from = 100; from < 250; from += 30)
            {
                await CreateAsync([api1, api2], from, from + 30, created);
                await Task.Delay(TimeSpan.FromSeconds(1), Ct);
            }

            worker1 = Worker(db, kafka.BootstrapServers, temporal);
            _ = worker1.Services;
            faults.Add($"{clock.Elapsed.TotalSeconds:0.0} s: worker 1 restarted");
            await CreateAsync([api1, api2], 250, 300, created);

            // API 2 is killed with a batch claimed and handed to the producer, unacknowledged (brokers down meanwhile).
            foreach (var broker in new[] { 1, 2, 3 })
            {
                kafka.SetBrokerDown(broker);
            }

            await CreateAsync([api2], 300, 320, created);
            await Task.Delay(TimeSpan.FromSeconds(1), Ct);
            await api2.DisposeAsync();
            faults.Add($"{clock.Elapsed.TotalSeconds:0.0} s: API 2 killed mid-batch (brokers down)");
            foreach (var broker in new[] { 1, 2, 3 })
            {
                kafka.SetBrokerUp(broker);
            }

            await CreateAsync([api1], 320, Orders, created);
            var lastFault = clock.Elapsed;

            await Eventually.HoldsAsync(() => created.All(id => temporal.StatusAsync(id, Ct).Result != SagaRunStatus.None),
                TimeSpan.FromSeconds(120), "every order's saga is started");
            var drained = clock.Elapsed - lastFault;
            await using (var connection = new NpgsqlConnection(db))
            {
                await Eventually.HoldsAsync(async () => await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0,
                    TimeSpan.FromSeconds(30), "the outbox is drained");
            }

            var starts = temporal.Calls.Where(c => c.Kind == "start").ToList();
            Assert.Equal(Orders, created.Count);
            Assert.Equal(Orders, temporal.Started);
            Assert.Subset(created.ToHashSet(), starts.Select(c => c.OrderId).ToHashSet());

            // Dispatch and shipment events, two of each per order in a known order; worker 2 is down for the second half.
            var signalsFrom = clock.Elapsed;
            await PublishSignalsAsync(kafka.BootstrapServers, created.Take(Orders / 2));
            await worker2.DisposeAsync();
            faults.Add($"{clock.Elapsed.TotalSeconds:0.0} s: worker 2 stopped during the signals");
            await PublishSignalsAsync(kafka.BootstrapServers, created.Skip(Orders / 2));
            await Task.Delay(TimeSpan.FromSeconds(2), Ct);
            worker2 = Worker(db, kafka.BootstrapServers, temporal);
            _ = worker2.Services;
            faults.Add($"{clock.Elapsed.TotalSeconds:0.0} s: worker 2 restarted");
            await Eventually.HoldsAsync(() => created.All(id => SignalsSeen(temporal, id) == 4), TimeSpan.FromSeconds(120), "every order's four signals");
            var signalled = clock.Elapsed - signalsFrom;
            foreach (var id in created)
            {
                var calls = temporal.Calls.Where(c => c.OrderId == id && c.Kind != "start").Select(c => c.ToString()).Distinct().ToList();
                Assert.Equal([$"dispatched {id} drv-a", $"dispatched {id} drv-b"], calls.Where(c => c.StartsWith("dispatched", StringComparison.Ordinal)));
                Assert.Equal([$"delivered {id}", $"canceled {id}"], calls.Where(c => !c.StartsWith("dispatched", StringComparison.Ordinal)));
            }

            // Exactly one CdcSync streams; it dies while orders change, and the standby takes the slot. The standby has
            // waited long enough by then (over 35 s) for any reconnect backoff to have grown to its cap.
            await Task.Delay(TimeSpan.FromSeconds(35) - (clock.Elapsed - standbySince) is { Ticks: > 0 } rest ? rest : TimeSpan.Zero, Ct);
            var standbys = new[] { await IsStandbyAsync(cdcA), await IsStandbyAsync(cdcB) };
            Assert.Equal(1, standbys.Count(s => s));
            var (active, standby) = standbys[1] ? (cdcA, cdcB) : (cdcB, cdcA);
            var killedAt = clock.Elapsed;
            await active.StopAsync();
            var changed = await ChangeOrdersAsync(db, created.Take(200));
            await Eventually.HoldsAsync(async () => !await IsStandbyAsync(standby) && await ActiveAsync(db, slot) is not null, TimeSpan.FromSeconds(30),
                "the standby streams the slot");
            var takeover = clock.Elapsed - killedAt;
            await Eventually.HoldsAsync(async () => (await DifferencesAsync(db, created)).Count == 0, TimeSpan.FromSeconds(60), "Redis equals PostgreSQL for every order");
            var converged = clock.Elapsed - killedAt;

            await sampling.CancelAsync();
            await sampler;
            var duplicateStarts = starts.Count - Orders;
            var signalCalls = temporal.Calls.Count(c => c.Kind != "start");
            output.WriteLine($"orders: {Orders}; start calls: {starts.Count} ({duplicateStarts} duplicates, {temporal.Started} sagas started)");
            output.WriteLine($"signals: {signalCalls} calls for {Orders * 4} events ({signalCalls - Orders * 4} duplicates), all handled {signalled.TotalSeconds:0.0} s after the first was published");
            output.WriteLine($"every saga started {drained.TotalSeconds:0.0} s after the last fault; CdcSync takeover {takeover.TotalSeconds:0.0} s, Redis = PostgreSQL {converged.TotalSeconds:0.0} s after the kill ({changed} orders changed meanwhile)");
            output.WriteLine("faults: " + string.Join("; ", faults));
            output.WriteLine($"   t (s) | outbox backlog | orders.events lag | sagas started   ({samples.Count} samples, every 6th shown)");
            foreach (var sample in samples.Where((_, i) => i % 6 == 0))
            {
                output.WriteLine($"{sample.Seconds,8:0.0} | {sample.OutboxBacklog,14} | {sample.ConsumerLag,17} | {sample.Started,13}");
            }

            Assert.True(takeover < TimeSpan.FromSeconds(10), $"the standby took {takeover.TotalSeconds:0.0} s to take over");
        }
        finally
        {
            await sampling.CancelAsync();
            await worker1.DisposeAsync();
            await worker2.DisposeAsync();
            await api1.DisposeAsync();
            await api2.DisposeAsync();
        }
    }

    private ServiceFactory<OrderApiService> Api(string db, string kafka) => new(new Dictionary<string, string?>
    {
        ["ConnectionStrings:go1"] = db,
        ["ConnectionStrings:redis"] = redis.ConnectionString,
        ["ConnectionStrings:kafka"] = kafka,
        ["Auth:Mode"] = "GatewayHeaders",
        ["Auth:Gateway:SharedSecret"] = TestGateway.Secret,
        ["Outbox:Relay:PollInterval"] = "00:00:00.200",
        ["Outbox:Relay:RetryDelay"] = "00:00:00.200",
        ["Outbox:Relay:BatchSize"] = "50",
    });

    private static ServiceFactory<OrderWorkerService> Worker(string db, string kafka, RecordingOrderWorkflows temporal) => new(
        new Dictionary<string, string?>
        {
            ["ConnectionStrings:go1"] = db,
            ["ConnectionStrings:kafka"] = kafka,
            ["ConnectionStrings:temporal"] = "127.0.0.1:1", // the port below stands in for Temporal
            ["Saga:WorkerEnabled"] = "false",
            ["Saga:Reconciler:Enabled"] = "false",
            ["Aspire:Confluent:Kafka:Consumer:Config:FetchWaitMaxMs"] = "10",
            ["Aspire:Confluent:Kafka:Consumer:Config:SessionTimeoutMs"] = "6000",
            ["Aspire:Confluent:Kafka:Consumer:Config:HeartbeatIntervalMs"] = "500",
            ["Aspire:Confluent:Kafka:Consumer:Config:AutoCommitIntervalMs"] = "200",
            ["Messaging:Defaults:RetryBackoff"] = "00:00:00.200",
            ["Messaging:Defaults:MaxRetryBackoff"] = "00:00:01",
        },
        services: s => s.AddSingleton<IOrderWorkflows>(temporal));

    private CdcSyncHost CdcHost(string db, string slot) =>
        CdcSyncHost.Postgres(db, redis.ConnectionString, ("CdcSync:Postgres:Slot", slot), ("CdcSync:Postgres:Publication", "scale_orders"));

    /// <summary>Orders <paramref name="from"/>..<paramref name="to"/>, eight at a time, spread over <paramref name="apis"/>.</summary>
    private static async Task CreateAsync(ServiceFactory<OrderApiService>[] apis, int from, int to, ConcurrentBag<Guid> created)
    {
        var clients = apis.Select(api =>
        {
            var client = api.CreateClient();
            client.DefaultRequestHeaders.Add("X-User-Id", $"rider-{Guid.NewGuid():N}");
            client.DefaultRequestHeaders.Add(TestGateway.Header, TestGateway.Secret);
            client.DefaultRequestHeaders.Add("X-User-Audience", "user_app");
            return client;
        }).ToArray();
        await Parallel.ForEachAsync(Enumerable.Range(from, to - from), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Ct }, async (i, ct) =>
        {
            var response = await clients[i % clients.Length].PostAsJsonAsync("/orders", OrderApiFixture.ValidOrder(), ct);
            response.EnsureSuccessStatusCode();
            created.Add((await OrderApiFixture.ReadOrderAsync(response)).Id);
        });
    }

    private static async Task PublishSignalsAsync(string kafka, IEnumerable<Guid> orders)
    {
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = kafka, EnableIdempotence = true, Acks = Acks.All }).Build();
        var sends = new List<Task>();
        foreach (var id in orders)
        {
            foreach (var (topic, json) in new[]
            {
                (DispatchEvent.Topic, $$$"""{"order_id":"{{{id}}}","dispatch_status":"ASSIGNED","driver":{"id":"drv-a"}}"""),
                (DispatchEvent.Topic, $$$"""{"order_id":"{{{id}}}","dispatch_status":"ASSIGNED","driver":{"id":"drv-b"}}"""),
                (ShipmentEvent.Topic, $$"""{"order_id":"{{id}}","status":"DELIVERED"}"""),
                (ShipmentEvent.Topic, $$"""{"order_id":"{{id}}","status":"CANCELED"}"""),
            })
            {
                sends.Add(producer.ProduceAsync(topic, new Message<string, byte[]> { Key = id.ToString(), Value = Encoding.UTF8.GetBytes(json) }, Ct));
            }
        }

        await Task.WhenAll(sends);
    }

    private static int SignalsSeen(RecordingOrderWorkflows temporal, Guid id) =>
        temporal.Calls.Where(c => c.OrderId == id && c.Kind != "start").Select(c => c.ToString()).Distinct().Count();

    private static async Task<int?> ActiveAsync(string db, string slot)
    {
        await using var connection = new NpgsqlConnection(db);
        return await connection.ExecuteScalarAsync<int?>("SELECT active_pid FROM pg_replication_slots WHERE slot_name = @slot", new { slot });
    }

    /// <summary>Whether the CdcSync host stands by (another streams the slot), as its health check says.</summary>
    private static async Task<bool> IsStandbyAsync(CdcSyncHost host) =>
        (await host.Factory.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(Ct)).Entries["cdc-sync"].Description?.StartsWith("standby", StringComparison.Ordinal) == true;

    private static async Task<int> ChangeOrdersAsync(string db, IEnumerable<Guid> orders)
    {
        await using var connection = new NpgsqlConnection(db);
        var changed = 0;
        foreach (var id in orders)
        {
            changed += await connection.ExecuteAsync("UPDATE orders SET sub_status = 'SCALE_TEST' WHERE id = @id", new { id });
        }

        return changed;
    }

    /// <summary>Orders whose cached version differs from PostgreSQL's.</summary>
    private async Task<List<Guid>> DifferencesAsync(string db, IEnumerable<Guid> orders)
    {
        await using var connection = new NpgsqlConnection(db);
        var versions = (await connection.QueryAsync<(Guid Id, long Version)>("SELECT id, version FROM orders")).ToDictionary(r => r.Id, r => r.Version);
        await using var multiplexer = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var cache = multiplexer.GetDatabase();
        var differences = new List<Guid>();
        foreach (var id in orders)
        {
            var json = await cache.StringGetAsync($"order:{id}");
            var cached = json.IsNullOrEmpty ? -1 : JsonDocument.Parse(json.ToString()).RootElement.GetProperty("version").GetInt64();
            if (cached != versions[id])
            {
                differences.Add(id);
            }
        }

        return differences;
    }

    /// <summary>Every half second: the outbox backlog, the orders.events consumer group's lag, and how many sagas have started.</summary>
    private static async Task SampleAsync(string db, string kafka, RecordingOrderWorkflows temporal, Stopwatch clock, ConcurrentQueue<Sample> samples, CancellationToken stop)
    {
        using var lag = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = kafka, GroupId = $"go1-orderworker.{OrderCreated.Topic}" })
            .SetLogHandler((_, _) => { }).Build();
        var partitions = Enumerable.Range(0, 3).Select(p => new TopicPartition(OrderCreated.Topic, p)).ToList();
        await using var connection = new NpgsqlConnection(db);
        try
        {
            while (!stop.IsCancellationRequested)
            {
                long consumerLag = 0;
                try
                {
                    foreach (var committed in lag.Committed(partitions, TimeSpan.FromSeconds(2)))
                    {
                        var high = lag.QueryWatermarkOffsets(committed.TopicPartition, TimeSpan.FromSeconds(2)).High;
                        consumerLag += high - Math.Max(0, committed.Offset.Value);
                    }
                }
                catch (KafkaException)
                {
                    consumerLag = -1; // brokers down
                }

                var backlog = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM outbox WHERE published_at IS NULL");
                samples.Enqueue(new Sample(clock.Elapsed.TotalSeconds, backlog, consumerLag, temporal.Started));
                await Task.Delay(500, stop);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
