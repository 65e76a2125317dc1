using System.Diagnostics;
using Go1.Tests.Servers;
using JasperFx.CodeGeneration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Wolverine;
using Wolverine.Kafka;
using Wolverine.Postgresql;
using Wolverine.RDBMS;
using Wolverine.Runtime;

namespace Go1.Bench.OutboxPeer;

/// <summary>The event both systems publish.</summary>
public sealed record PeerEvent(Guid Id);

/// <summary>
/// WolverineFx's durable outbox on PostgreSQL publishing to Kafka, with its defaults, used the way its documentation
/// shows without an ORM: a message context enlisted in the application's own transaction, flushed after the commit.
/// </summary>
public sealed class WolverineLeg(string database, KafkaMockCluster kafka)
{
    public async Task<SteadyResult> SteadyAsync(int round, int writers, TimeSpan duration)
    {
        var topic = $"peer.wolverine.steady.{round}";
        kafka.CreateTopic(topic, partitions: 6);
        using var watcher = new TopicWatcher(kafka.BootstrapServers, topic);
        using var host = Build(database, kafka.BootstrapServers, topic);
        await host.StartAsync();
        await watcher.AssignedAsync();
        var runtime = host.Services.GetRequiredService<IWolverineRuntime>();
        await using var dataSource = NpgsqlDataSource.Create(database);
        var result = await PeerBenchmark.SteadyAsync(writers, duration, watcher, id => CommitOneAsync(runtime, dataSource, id, watcher.Stamp));
        await host.StopAsync();
        return result;
    }

    /// <summary>A process commits the backlog through Wolverine's outbox and is killed before it sends any of it; a new node starts and recovers it.</summary>
    public async Task<BacklogResult> BacklogAfterCrashAsync(PeerSettings settings)
    {
        const string topic = "peer.wolverine.backlog";
        kafka.CreateTopic(topic, partitions: 6);
        using var watcher = new TopicWatcher(kafka.BootstrapServers, topic);
        await watcher.AssignedAsync();
        await CrashAfterCommittingAsync(database, kafka.BootstrapServers, topic, settings.Backlog);
        watcher.StartClock();
        using var recovering = Build(database, kafka.BootstrapServers, topic);
        await recovering.StartAsync();
        var backlog = await PeerBenchmark.DrainAsync(watcher, settings.Backlog, settings.BacklogWait);
        Console.WriteLine($"Wolverine backlog: {backlog.Seen:N0} of {backlog.Count:N0} on the topic after {backlog.Elapsed.TotalSeconds:F2} s");
        await recovering.StopAsync();
        return backlog;
    }

    /// <summary>The child process's part of the crash: commits <paramref name="count"/> events without flushing them, says so, and waits to be killed.</summary>
    public static async Task<int> WriteAndHangAsync(string database, string bootstrapServers, string topic, int count)
    {
        using var host = Build(database, bootstrapServers, topic);
        await host.StartAsync();
        var runtime = host.Services.GetRequiredService<IWolverineRuntime>();
        await using var dataSource = NpgsqlDataSource.Create(database);
        const int perTransaction = 100; // Only to write the backlog quickly; each event is still its own envelope.
        for (var written = 0; written < count; written += perTransaction)
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            var context = await EnlistedAsync(runtime, transaction);
            for (var i = 0; i < Math.Min(perTransaction, count - written); i++)
            {
                await context.PublishAsync(new PeerEvent(Guid.CreateVersion7()));
            }

            await transaction.CommitAsync();
        }

        await Console.Out.WriteLineAsync("committed");
        await Task.Delay(Timeout.Infinite);
        return 0;
    }

    private static async Task CommitOneAsync(IWolverineRuntime runtime, NpgsqlDataSource dataSource, Guid id, Action<Guid> stamp)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var context = await EnlistedAsync(runtime, transaction);
        await using (var business = new NpgsqlCommand("INSERT INTO peer_business (id) VALUES ($1)", connection, transaction) { Parameters = { new() { Value = id } } })
        {
            await business.ExecuteNonQueryAsync();
        }

        await context.PublishAsync(new PeerEvent(id));
        stamp(id);
        await transaction.CommitAsync();
        await context.FlushOutgoingMessagesAsync();
    }

    /// <summary>A message context whose outgoing messages are stored in <paramref name="transaction"/> (Wolverine's outbox without an ORM).</summary>
    private static async Task<MessageContext> EnlistedAsync(IWolverineRuntime runtime, NpgsqlTransaction transaction)
    {
        var context = new MessageContext(runtime);
        await context.EnlistInOutboxAsync(new DatabaseEnvelopeTransaction((IMessageDatabase)runtime.Storage, transaction));
        return context;
    }

    private static async Task CrashAfterCommittingAsync(string database, string bootstrapServers, string topic, int count)
    {
        using var child = Process.Start(new ProcessStartInfo(Environment.ProcessPath!)
        {
            ArgumentList = { typeof(WolverineLeg).Assembly.Location, "wolverine-crash-writer", database, bootstrapServers, topic, count.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            RedirectStandardOutput = true,
        })!;
        while (await child.StandardOutput.ReadLineAsync() is { } line && line != "committed")
        {
        }

        child.Kill(entireProcessTree: true);
        await child.WaitForExitAsync();
        Console.WriteLine($"wolverine crash: a writer process committed {count:N0} events and was killed before sending them");
    }

    private static IHost Build(string database, string bootstrapServers, string topic)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // It has no handlers on purpose (it only publishes), which discovery warns about at every start.
        builder.Logging.AddFilter("Wolverine.Configuration.HandlerDiscovery", LogLevel.Error);
        builder.UseWolverine(options =>
        {
            options.CodeGeneration.TypeLoadMode = TypeLoadMode.Static; // 6.x ships no runtime compiler
            options.PersistMessagesWithPostgresql(database, "wolverine");
            options.UseKafka(bootstrapServers);
            options.PublishMessage<PeerEvent>().ToKafkaTopic(topic);
            options.Policies.UseDurableOutboxOnAllSendingEndpoints();
        });
        return builder.Build();
    }
}
