using Go1.Messaging;
using Go1.Tests.Api;
using Go1.Tests.ServiceDefaults;

namespace Go1.Tests.Benchmarks;

/// <summary>
/// Figures, not assertions: relay throughput, commit → broker-ack latency and consumer throughput on
/// this machine, against real PostgreSQL and librdkafka's mock cluster. Not part of the test run:
/// <c>dotnet run -c Release --project Go1.Tests -p:TestingPlatformCommandLineArguments= -- -explicit only -class Go1.Tests.Benchmarks.MessagingBenchmarks -showLiveOutput</c>.
/// </summary>
public sealed class MessagingBenchmarks(PostgresServer postgres, RedisServer redis, ITestOutputHelper output)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ServiceFactory<OrderApiService> Api(string connectionString, string bootstrapServers) =>
        new(new Dictionary<string, string?>
        {
            ["ConnectionStrings:go1"] = connectionString,
            ["ConnectionStrings:redis"] = redis.ConnectionString,
            ["ConnectionStrings:kafka"] = bootstrapServers,
            ["Auth:Mode"] = "GatewayHeaders",
            ["Auth:Gateway:SharedSecret"] = TestGateway.Secret,
            ["Logging:LogLevel:Default"] = "Warning",
        });

    [Fact(Explicit = true)]
    public async Task Outbox_relay_throughput_and_commit_to_ack_latency()
    {
        await using var kafka = new KafkaMockCluster();
        await kafka.InitializeAsync();
        kafka.CreateTopic("orders.events", partitions: 6);
        var connectionString = await postgres.CreateMigratedDatabaseAsync("go1_bench_relay");

        // Backlog drain: 20,000 committed events waiting when the relay starts.
        const int backlog = 20_000;
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.ExecuteAsync("""
                INSERT INTO outbox (event_id, aggregate_id, event_type, topic, payload)
                SELECT gen_random_uuid(), gen_random_uuid(), 'OrderCreated', 'orders.events', ('{"order_id":"x","status":"FINDING","padding":"' || repeat('x', 400) || '"}')::jsonb
                FROM generate_series(1, @backlog)
                """, new { backlog });
        }

        var latencies = new List<double>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name == "go1.outbox.delivery_latency")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((_, value, _, _) => { lock (latencies) { latencies.Add(value * 1000); } });
        listener.Start();

        await using var factory = Api(connectionString, kafka.BootstrapServers);
        var drain = Stopwatch.StartNew();
        _ = factory.Services;
        await using var check = new NpgsqlConnection(connectionString);
        while (await check.ExecuteScalarAsync<long>("SELECT count(*) FROM outbox WHERE published_at IS NULL") > 0)
        {
            await Task.Delay(20, Ct);
        }

        drain.Stop();
        output.WriteLine($"relay backlog drain: {backlog} events in {drain.Elapsed.TotalSeconds:F2} s = {backlog / drain.Elapsed.TotalSeconds:F0} events/s");

        // Steady state: orders through the API at a moderate rate, latency from the order's commit to Kafka's ack.
        lock (latencies)
        {
            latencies.Clear();
        }

        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-User-Id", "bench");
        client.DefaultRequestHeaders.Add(TestGateway.Header, TestGateway.Secret);
        client.DefaultRequestHeaders.Add("X-User-Audience", "user_app");
        var pace = Stopwatch.StartNew();
        for (var i = 0; i < 2_000; i++)
        {
            (await client.PostAsJsonAsync("/orders", OrderApiFixture.ValidOrder(), Ct)).EnsureSuccessStatusCode();
            var ahead = TimeSpan.FromMilliseconds(i * 5) - pace.Elapsed; // ~200 orders/s
            if (ahead > TimeSpan.Zero)
            {
                await Task.Delay(ahead, Ct);
            }
        }

        while (await check.ExecuteScalarAsync<long>("SELECT count(*) FROM outbox WHERE published_at IS NULL") > 0)
        {
            await Task.Delay(20, Ct);
        }

        List<double> sorted;
        lock (latencies)
        {
            sorted = [.. latencies.Order()];
        }

        output.WriteLine($"commit → broker ack at ~200 orders/s: n={sorted.Count} p50={Percentiles.Of(sorted, 0.50):F1} ms p99={Percentiles.Of(sorted, 0.99):F1} ms max={sorted[^1]:F1} ms");
    }

    [Fact(Explicit = true)]
    public async Task Consumer_throughput()
    {
        await using var kafka = new KafkaMockCluster();
        await kafka.InitializeAsync();
        const string topic = "bench-consume";
        foreach (var name in new[] { topic, topic + ".retry", topic + ".dlq" })
        {
            kafka.CreateTopic(name, partitions: name == topic ? 6 : 1);
        }

        const int count = 50_000;
        using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers, LingerMs = 5 }).Build())
        {
            var value = Encoding.UTF8.GetBytes("{\"order_id\":\"" + Guid.NewGuid() + "\",\"status\":\"DELIVERED\"}");
            for (var i = 0; i < count; i++)
            {
                producer.Produce(topic, new Message<string, byte[]> { Key = (i % 1000).ToString(System.Globalization.CultureInfo.InvariantCulture), Value = value });
            }

            producer.Flush(Ct);
        }

        var handler = new CountingHandler(topic);
        var builder = TestHost.Builder(("ConnectionStrings:kafka", kafka.BootstrapServers), ("Logging:LogLevel:Default", "Warning"));
        builder.Services.AddSingleton(handler);
        builder.AddTopicConsumers("go1-orderworker", typeof(CountingHandler));
        using var host = builder.Build();
        var clock = Stopwatch.StartNew();
        await host.StartAsync(Ct);
        while (handler.Count < count)
        {
            await Task.Delay(10, Ct);
        }

        clock.Stop();
        await host.StopAsync(Ct);
        output.WriteLine($"consumer: {count} messages handled (offset stored per message) in {clock.Elapsed.TotalSeconds:F2} s = {count / clock.Elapsed.TotalSeconds:F0} msg/s (including group join)");
    }

    private sealed class CountingHandler(string topic) : IMessageHandler
    {
        private int _count;

        public string Topic => topic;

        public int Count => Volatile.Read(ref _count);

        public Task HandleAsync(ConsumeResult<string, byte[]> message, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _count);
            return Task.CompletedTask;
        }
    }
}
