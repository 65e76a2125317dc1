using System.Diagnostics;
using System.Globalization;
using Go1.Orders.Infrastructure.Persistence;
using Go1.Tests.Benchmarks;
using Go1.Tests.Servers;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Go1.Bench.OutboxPeer;

/// <summary>
/// Go1's outbox relay and WolverineFx's durable PostgreSQL outbox side by side, in one run, against the same
/// PostgreSQL server and the same Kafka protocol peer (librdkafka's mock cluster): 8 writers committing one event
/// per transaction (a business row and its event), then a backlog of committed-but-unsent events left by a crash.
/// Both are measured the same way, by a consumer of the topic: from the commit call to the event on the topic. Each round
/// also runs the ceiling they share: the same writers committing the same transaction with no relay at all.
/// </summary>
public static class PeerBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args is ["wolverine-crash-writer", var database, var servers, var topic, var count])
        {
            return await WolverineLeg.WriteAndHangAsync(database, servers, topic, int.Parse(count, CultureInfo.InvariantCulture));
        }

        if (args is not [var server])
        {
            Console.Error.WriteLine("usage: Go1.Bench.OutboxPeer <PostgreSQL connection string of a server it may create databases on>");
            return 2;
        }

        var settings = PeerSettings.FromEnvironment();
        await using var kafka = new KafkaMockCluster();
        await kafka.InitializeAsync();
        Console.WriteLine($"{settings.Rounds} alternating rounds of {settings.Writers} writers for {settings.Duration.TotalSeconds:F0} s flat out, then a backlog of {settings.Backlog:N0} events each (waited for at most {settings.BacklogWait.TotalSeconds:F0} s)");

        await using var go1 = await Go1Leg.StartAsync(await CreateDatabaseAsync(server, "peer_go1"), kafka, settings);
        var wolverine = new WolverineLeg(await CreateDatabaseAsync(server, "peer_wolverine"), kafka);
        var ceilingDatabase = await CreateDatabaseAsync(server, "peer_ceiling");
        await new DatabaseMigrator(ceilingDatabase, NullLogger<DatabaseMigrator>.Instance).MigrateAsync();
        await using var ceiling = NpgsqlDataSource.Create(ceilingDatabase);
        // Round 0 warms all three up (JIT tiers, connection pools) and is not counted; then the outbox that goes first alternates.
        Console.WriteLine($"round 0 (warm-up, {settings.Warmup.TotalSeconds:F0} s each, not counted): Go1 {await go1.SteadyAsync(0, settings.Warmup)}");
        Console.WriteLine($"round 0 (warm-up): Wolverine {await wolverine.SteadyAsync(0, settings.Writers, settings.Warmup)}");
        Console.WriteLine($"round 0 (warm-up): writers alone {await WritersAloneAsync(ceiling, settings.Writers, settings.Warmup)}");
        var rounds = new List<(SteadyResult Go1, SteadyResult Wolverine, CeilingResult Ceiling)>();
        for (var round = 1; round <= settings.Rounds; round++)
        {
            // The ceiling runs between the two, so each outbox runs next to it.
            SteadyResult ours, theirs;
            CeilingResult alone;
            if (round % 2 == 1)
            {
                ours = await go1.SteadyAsync(round, settings.Duration);
                alone = await WritersAloneAsync(ceiling, settings.Writers, settings.Duration);
                theirs = await wolverine.SteadyAsync(round, settings.Writers, settings.Duration);
            }
            else
            {
                theirs = await wolverine.SteadyAsync(round, settings.Writers, settings.Duration);
                alone = await WritersAloneAsync(ceiling, settings.Writers, settings.Duration);
                ours = await go1.SteadyAsync(round, settings.Duration);
            }

            Console.WriteLine($"round {round} Go1:       {ours}");
            Console.WriteLine($"round {round} Wolverine: {theirs}");
            Console.WriteLine($"round {round} writers alone: {alone}");
            rounds.Add((ours, theirs, alone));
        }

        var go1Backlog = go1.Backlog;
        var wolverineBacklog = await wolverine.BacklogAfterCrashAsync(settings);

        Console.WriteLine();
        Console.WriteLine($"| round | events/s committed: Go1 / Wolverine | on the topic: Go1 / Wolverine (Go1 ÷ Wolverine) | writers alone, no relay: events/s (Go1, Wolverine as % of it) | commit → on topic p50: Go1 / Wolverine | p99 | max | CPU ms per event, process + PostgreSQL: Go1 / Wolverine / writers alone |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
        for (var i = 0; i < rounds.Count; i++)
        {
            var (ours, theirs, alone) = rounds[i];
            Console.WriteLine(Invariant($"| {i + 1} | {ours.CommittedPerSecond:F0} / {theirs.CommittedPerSecond:F0} | {ours.DeliveredPerSecond:F0} / {theirs.DeliveredPerSecond:F0} ({ours.DeliveredPerSecond / theirs.DeliveredPerSecond:F2}×) | {alone.CommittedPerSecond:F0} ({100 * ours.DeliveredPerSecond / alone.CommittedPerSecond:F0}%, {100 * theirs.DeliveredPerSecond / alone.CommittedPerSecond:F0}%) | {ours.P50:F1} / {theirs.P50:F1} ms | {ours.P99:F1} / {theirs.P99:F1} ms | {ours.Max:F0} / {theirs.Max:F0} ms | {ours.ProcessCpuMs:F2} + {ours.PostgresCpuMs:F2} / {theirs.ProcessCpuMs:F2} + {theirs.PostgresCpuMs:F2} / {alone.ProcessCpuMs:F2} + {alone.PostgresCpuMs:F2} |"));
        }

        Console.WriteLine(Invariant($"| median | | {Median(rounds.Select(r => r.Go1.DeliveredPerSecond)):F0} / {Median(rounds.Select(r => r.Wolverine.DeliveredPerSecond)):F0} ({Median(rounds.Select(r => r.Go1.DeliveredPerSecond / r.Wolverine.DeliveredPerSecond)):F2}×; target ≥ 2×) | {Median(rounds.Select(r => r.Ceiling.CommittedPerSecond)):F0} ({Median(rounds.Select(r => 100 * r.Go1.DeliveredPerSecond / r.Ceiling.CommittedPerSecond)):F0}%, {Median(rounds.Select(r => 100 * r.Wolverine.DeliveredPerSecond / r.Ceiling.CommittedPerSecond)):F0}%) | {Median(rounds.Select(r => r.Go1.P50)):F1} / {Median(rounds.Select(r => r.Wolverine.P50)):F1} ms | {Median(rounds.Select(r => r.Go1.P99)):F1} / {Median(rounds.Select(r => r.Wolverine.P99)):F1} ms (Go1 target ≤ 20 ms) | | |"));
        Console.WriteLine();
        Console.WriteLine($"backlog of {settings.Backlog:N0} committed-but-unsent events after a crash: Go1 {go1Backlog.Describe()}, Wolverine {wolverineBacklog.Describe()}");
        Console.WriteLine(Invariant($"drain rate: Go1 {go1Backlog.PerSecond:F0} events/s, Wolverine {wolverineBacklog.PerSecond:F1} events/s ({(wolverineBacklog.PerSecond > 0 ? (go1Backlog.PerSecond / wolverineBacklog.PerSecond).ToString("F0", CultureInfo.InvariantCulture) + "×" : "Wolverine sent none")}; target ≥ 50×)"));
        return 0;

        static double Median(IEnumerable<double> values)
        {
            var sorted = values.Order().ToList();
            return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
        }

        static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
    }

    private static async Task<string> CreateDatabaseAsync(string server, string name)
    {
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
        }

        var connection = new NpgsqlConnectionStringBuilder(server) { Database = name, MaxPoolSize = 64 }.ConnectionString;
        await using var table = new NpgsqlConnection(connection);
        await table.OpenAsync();
        await using var business = new NpgsqlCommand("CREATE TABLE peer_business (id uuid PRIMARY KEY, written_at timestamptz NOT NULL DEFAULT now())", table);
        await business.ExecuteNonQueryAsync();
        return connection;
    }

    /// <summary>
    /// Runs <paramref name="writers"/> loops of <paramref name="commitOne"/> for <paramref name="duration"/>, each call committing
    /// one event with the id it is given (and stamping it on <paramref name="watcher"/> just before the commit), then waits until <paramref name="watcher"/> has seen every committed event.
    /// </summary>
    public static async Task<SteadyResult> SteadyAsync(int writers, TimeSpan duration, TopicWatcher watcher, Func<Guid, Task> commitOne)
    {
        var cpu = CpuUse.Now();
        watcher.StartClock();
        var (committed, writing) = await FlatOutAsync(writers, duration, commitOne);
        await watcher.WaitForAsync(committed, TimeSpan.FromSeconds(120));
        var used = CpuUse.Now() - cpu;
        var latencies = watcher.Latencies();
        return new SteadyResult(committed / writing.TotalSeconds, committed / watcher.LastSeenAt.TotalSeconds,
            Percentiles.Of(latencies, 0.50), Percentiles.Of(latencies, 0.99), latencies[^1],
            used.Process.TotalMilliseconds / committed, used.Postgres.TotalMilliseconds / committed);
    }

    /// <summary>
    /// The ceiling both outboxes share on this machine: the same writers committing Go1's transaction (a business row and
    /// an outbox row) for <paramref name="duration"/>, with no relay running, so nothing is published.
    /// </summary>
    public static async Task<CeilingResult> WritersAloneAsync(NpgsqlDataSource dataSource, int writers, TimeSpan duration)
    {
        var cpu = CpuUse.Now();
        var (committed, writing) = await FlatOutAsync(writers, duration, id => Go1Leg.CommitAsync(dataSource, id, "peer.unpublished", static _ => { }));
        var used = CpuUse.Now() - cpu;
        return new CeilingResult(committed / writing.TotalSeconds, used.Process.TotalMilliseconds / committed, used.Postgres.TotalMilliseconds / committed);
    }

    private static async Task<(int Committed, TimeSpan Elapsed)> FlatOutAsync(int writers, TimeSpan duration, Func<Guid, Task> commitOne)
    {
        var clock = Stopwatch.StartNew();
        var committed = 0;
        await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
        {
            while (clock.Elapsed < duration)
            {
                await commitOne(Guid.CreateVersion7());
                Interlocked.Increment(ref committed);
            }
        })));
        return (committed, clock.Elapsed);
    }

    /// <summary>Waits up to <paramref name="limit"/> for <paramref name="count"/> events on the topic, timed from the watcher's clock (started when the draining side did).</summary>
    public static async Task<BacklogResult> DrainAsync(TopicWatcher watcher, int count, TimeSpan limit)
    {
        var drained = await watcher.WaitForAsync(count, limit, throwOnTimeout: false);
        return new BacklogResult(count, watcher.Count, drained ? watcher.LastSeenAt : watcher.Elapsed);
    }
}

public sealed record PeerSettings(int Rounds, int Writers, TimeSpan Duration, TimeSpan Warmup, int Backlog, TimeSpan BacklogWait)
{
    public static PeerSettings FromEnvironment() => new(Number("ROUNDS", 3), Number("WRITERS", 8), TimeSpan.FromSeconds(Number("DURATION", 15)),
        TimeSpan.FromSeconds(Number("WARMUP", 10)), Number("BACKLOG", 20_000), TimeSpan.FromSeconds(Number("BACKLOG_WAIT", 120)));

    private static int Number(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;
}

/// <summary>One steady run; the CPU figures are per committed event, of this whole process (writers, the outbox, the broker, the watcher) and of PostgreSQL.</summary>
public sealed record SteadyResult(double CommittedPerSecond, double DeliveredPerSecond, double P50, double P99, double Max, double ProcessCpuMs, double PostgresCpuMs)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{CommittedPerSecond:F0} events/s committed, {DeliveredPerSecond:F0}/s on the topic, commit → on topic p50 {P50:F1} ms, p99 {P99:F1} ms, max {Max:F1} ms; CPU per event: process {ProcessCpuMs:F3} ms, PostgreSQL {PostgresCpuMs:F3} ms");
}

/// <summary>Writers alone: what they commit a second with no relay, and the CPU per committed event (this process, PostgreSQL).</summary>
public sealed record CeilingResult(double CommittedPerSecond, double ProcessCpuMs, double PostgresCpuMs)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{CommittedPerSecond:F0} events/s committed, nothing published; CPU per event: process {ProcessCpuMs:F3} ms, PostgreSQL {PostgresCpuMs:F3} ms");
}

public sealed record BacklogResult(int Count, int Seen, TimeSpan Elapsed)
{
    public double PerSecond => Seen / Elapsed.TotalSeconds;

    public string Describe() => Seen >= Count
        ? $"{Elapsed.TotalSeconds:F2} s"
        : $"not drained: {Seen:N0} in {Elapsed.TotalSeconds:F0} s, so ≈ {Count / PerSecond:F0} s at that rate";
}

