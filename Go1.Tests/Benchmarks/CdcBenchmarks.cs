using Go1.CdcSync;
using Go1.Tests.Api;
using Go1.Tests.ChangeCapture;

namespace Go1.Tests.Benchmarks;

/// <summary>
/// Figures, not assertions: commit → Redis lag of CdcSync's pgoutput and Debezium sources (the projector's
/// <c>go1.cdc.lag</c> metric: from the commit timestamp the source reports to the end of the Redis write), paced and flat out. Not part of the test run:
/// <c>dotnet Go1.Tests/bin/Debug/net10.0/Go1.Tests.dll -explicit only -class Go1.Tests.Benchmarks.CdcBenchmarks -showLiveOutput</c>.
/// </summary>
public sealed class CdcBenchmarks(PostgresServer postgres, RedisServer redis, KafkaMockCluster kafka, ITestOutputHelper output)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Explicit = true)]
    public async Task Commit_to_redis_lag_with_the_postgres_source()
    {
        const int Orders = 200;
        var database = await postgres.CreateMigratedDatabaseAsync("go1_bench_cdc");
        var ids = new List<Guid>();
        await using (var api = new ServiceFactory<OrderApiService>(new Dictionary<string, string?>
        {
            ["ConnectionStrings:go1"] = database,
            ["ConnectionStrings:redis"] = redis.ConnectionString,
            ["ConnectionStrings:kafka"] = kafka.BootstrapServers,
            ["Auth:Mode"] = "GatewayHeaders",
            ["Auth:Gateway:SharedSecret"] = TestGateway.Secret,
        }))
        {
            var client = api.CreateClient();
            client.DefaultRequestHeaders.Add("X-User-Id", "bench");
            client.DefaultRequestHeaders.Add(TestGateway.Header, TestGateway.Secret);
            client.DefaultRequestHeaders.Add("X-User-Audience", "user_app");
            for (var i = 0; i < Orders; i++)
            {
                ids.Add((await OrderApiFixture.ReadOrderAsync(await client.PostAsJsonAsync("/orders", OrderApiFixture.ValidOrder(), Ct))).Id);
            }
        }

        using var lags = new Lags();
        await using var cdc = CdcSyncHost.Postgres(database, redis.ConnectionString);
        await cdc.StartAsync();
        var writers = Enumerable.Range(0, 8).Select(_ =>
        {
            // Production's durability: the test server runs with synchronous_commit off, which delays WAL (and so replication) by up to 200 ms.
            var connection = new NpgsqlConnection(database + ";Options=-c synchronous_commit=on");
            connection.Open();
            return connection;
        }).ToList();
        try
        {
            await RunAsync(lags, "pgoutput", writers.Count, (w, n) => writers[w].ExecuteAsync(
                "UPDATE orders SET metadata = metadata || jsonb_build_object('n', @n) WHERE id = @id", new { n, id = ids[n % ids.Count] }));
        }
        finally
        {
            writers.ForEach(w => w.Dispose());
        }
    }

    /// <summary>
    /// The same with the Debezium source (what the AppHost runs): records shaped as Debezium writes them, produced to
    /// the Kafka peer by 8 producers; the lag runs from each record's <c>__source_ts_ms</c> (set just before it is
    /// produced, in place of the commit) to the end of its Redis write.
    /// </summary>
    [Fact(Explicit = true)]
    public async Task Produce_to_redis_lag_with_the_debezium_source()
    {
        var topic = $"go1.public.orders.bench{Guid.NewGuid():N}";
        kafka.CreateConsumedTopic(topic, partitions: 6);
        var orders = Enumerable.Range(0, 200).Select(_ => OrderRows.Order(version: 1)).ToList();
        var versions = new long[orders.Count];
        using var lags = new Lags();
        await using var cdc = CdcSyncHost.Debezium(topic, kafka.BootstrapServers, redis.ConnectionString);
        await cdc.StartAsync();
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers, LingerMs = 0 }).Build();
        Task Write(int n)
        {
            var i = n % orders.Count; // each writer owns the orders of its residue, so an order's versions grow in produce order
            return producer.ProduceAsync(topic, OrderRows.DebeziumMessage(orders[i] with { Version = ++versions[i] }, "u"), Ct);
        }

        // The consumer joins its group lazily: measure once a first record has gone through.
        await Write(0);
        await lags.WaitForAsync(1, TimeSpan.FromSeconds(30));
        await RunAsync(lags, "debezium", writers: 8, (_, n) => Write(n));
    }

    /// <summary>Paced with one writer, paced near the API's create rate (<c>GO1_BENCH_CDC_RATE</c>, default 4000/s), then flat out.</summary>
    private async Task RunAsync(Lags lags, string source, int writers, Func<int, int, Task> write)
    {
        var rate = int.TryParse(Environment.GetEnvironmentVariable("GO1_BENCH_CDC_RATE"), out var r) && r > 0 ? r : 4000;
        await MeasureAsync(lags, $"{source}: paced, 1 writer, 200 updates/s", 1, TimeSpan.FromMilliseconds(5), write);
        await MeasureAsync(lags, $"{source}: paced, {writers} writers, {rate} updates/s", writers, TimeSpan.FromSeconds((double)writers / rate), write);
        await MeasureAsync(lags, $"{source}: flat out, {writers} writers", writers, pace: null, write);
    }

    /// <summary>Runs <paramref name="writers"/> loops of <paramref name="write"/>(writer, n) for 10 s, then waits for every change's lag.</summary>
    private async Task MeasureAsync(Lags lags, string name, int writers, TimeSpan? pace, Func<int, int, Task> write)
    {
        var duration = TimeSpan.FromSeconds(10);
        lags.Clear();
        var updates = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(async w =>
        {
            // Paced by a schedule, not by a pause after each write: the timer's granularity and the write's own time
            // made a 2 ms pause give half the rate asked for. A writer behind its schedule writes at once.
            var due = TimeSpan.Zero;
            for (var n = w; clock.Elapsed < duration; n += writers)
            {
                await write(w, n);
                Interlocked.Increment(ref updates);
                if (pace is { } p && (due += p) - clock.Elapsed is { Ticks: > 0 } early)
                {
                    await Task.Delay(early, Ct);
                }
            }
        }));
        var elapsed = clock.Elapsed;
        var sorted = await lags.WaitForAsync(updates, duration * 3);
        output.WriteLine($"{name}: {updates} updates in {elapsed.TotalSeconds:F1} s ({updates / elapsed.TotalSeconds:F0}/s), {sorted.Count} projected; " +
            $"commit → Redis lag p50 {Percentiles.Of(sorted, 0.50):F2} ms, p90 {Percentiles.Of(sorted, 0.90):F2} ms, p99 {Percentiles.Of(sorted, 0.99):F2} ms, max {sorted[^1]:F2} ms");
    }

    /// <summary>The projector's <c>go1.cdc.lag</c> measurements, in milliseconds.</summary>
    private sealed class Lags : IDisposable
    {
        private readonly List<double> _values = [];
        private readonly MeterListener _listener = new();

        public Lags()
        {
            _listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == OrderCacheProjector.MeterName && instrument.Name == "go1.cdc.lag")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<double>((_, value, _, _) => { lock (_values) { _values.Add(value); } });
            _listener.Start();
        }

        public void Clear()
        {
            lock (_values)
            {
                _values.Clear();
            }
        }

        /// <summary>Waits until <paramref name="count"/> lags are in or <paramref name="limit"/> passes; returns them sorted.</summary>
        public async Task<List<double>> WaitForAsync(int count, TimeSpan limit)
        {
            var waited = Stopwatch.StartNew();
            while (waited.Elapsed < limit)
            {
                lock (_values)
                {
                    if (_values.Count >= count)
                    {
                        break;
                    }
                }

                await Task.Delay(50, Ct);
            }

            lock (_values)
            {
                return [.. _values.Order()];
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}
