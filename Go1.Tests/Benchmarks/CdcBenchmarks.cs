using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net.Http.Json;
using Dapper;
using Go1.CdcSync;
using Go1.OrderApi;
using Go1.Tests.Api;
using Go1.Tests.ChangeCapture;
using Go1.Tests.Servers;
using Go1.Tests.Services;
using Npgsql;
using StackExchange.Redis;

namespace Go1.Tests.Benchmarks;

/// <summary>
/// Figures, not assertions: commit → Redis lag of CdcSync's pgoutput source (its <c>go1.cdc.lag</c> metric: from
/// the commit timestamp PostgreSQL reports to the end of the Redis write), paced and flat out. Not part of the test run:
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

        var lags = new List<double>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == OrderCacheProjector.MeterName && instrument.Name == "go1.cdc.lag")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((_, value, _, _) => { lock (lags) { lags.Add(value); } });

        await using var cdc = CdcSyncHost.Postgres(database, redis.ConnectionString);
        await cdc.StartAsync();
        await using var redisConnection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        listener.Start();

        // Paced: one writer, one update every 5 ms — the lag a single change sees.
        await RunAsync("paced, 1 writer, 200 updates/s", writers: 1, TimeSpan.FromSeconds(10), pace: TimeSpan.FromMilliseconds(5));
        // Paced at about the rate the API creates orders on this kind of machine (GO1_BENCH_CDC_RATE to change it).
        var rate = int.TryParse(Environment.GetEnvironmentVariable("GO1_BENCH_CDC_RATE"), out var r) && r > 0 ? r : 4000;
        await RunAsync($"paced, 8 writers, {rate} updates/s", writers: 8, TimeSpan.FromSeconds(10), pace: TimeSpan.FromSeconds(8.0 / rate));
        // Flat out: 8 writers as fast as PostgreSQL commits — the lag under load.
        await RunAsync("flat out, 8 writers", writers: 8, TimeSpan.FromSeconds(10), pace: null);

        async Task RunAsync(string name, int writers, TimeSpan duration, TimeSpan? pace)
        {
            lock (lags)
            {
                lags.Clear();
            }

            var updates = 0;
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, writers).Select(async w =>
            {
                // Production's durability: the test server runs with synchronous_commit off, which delays WAL (and so replication) by up to 200 ms.
                await using var connection = new NpgsqlConnection(database + ";Options=-c synchronous_commit=on");
                await connection.OpenAsync(Ct);
                for (var n = w; clock.Elapsed < duration; n += writers)
                {
                    await connection.ExecuteAsync("UPDATE orders SET metadata = metadata || jsonb_build_object('n', @n) WHERE id = @id", new { n, id = ids[n % ids.Count] });
                    Interlocked.Increment(ref updates);
                    if (pace is { } p)
                    {
                        await Task.Delay(p, Ct);
                    }
                }
            }));
            var elapsed = clock.Elapsed;

            while (true)
            {
                lock (lags)
                {
                    if (lags.Count >= updates || clock.Elapsed > duration * 3)
                    {
                        break;
                    }
                }

                await Task.Delay(50, Ct);
            }

            List<double> sorted;
            lock (lags)
            {
                sorted = [.. lags.Order()];
            }

            output.WriteLine($"{name}: {updates} updates in {elapsed.TotalSeconds:F1} s ({updates / elapsed.TotalSeconds:F0}/s), {sorted.Count} projected; " +
                $"commit → Redis lag p50 {Percentiles.Of(sorted, 0.50):F2} ms, p90 {Percentiles.Of(sorted, 0.90):F2} ms, p99 {Percentiles.Of(sorted, 0.99):F2} ms, max {sorted[^1]:F2} ms");
        }
    }
}
