using Go1.OrderApi.Outbox;
using Go1.Orders;
using Go1.Orders.Infrastructure.Outbox;
using Go1.Orders.Infrastructure.Persistence;
using Go1.Tests.Servers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Go1.Bench.OutboxPeer;

/// <summary>
/// Go1's outbox relay as OrderApi runs it (<see cref="OutboxRelaySetup.AddOutboxRelay"/>, default options), and writers
/// that commit a business row and its outbox row, then wake the relay as OrderApi's writer does.
/// </summary>
public sealed class Go1Leg : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly KafkaMockCluster _kafka;
    private readonly PeerSettings _settings;

    private Go1Leg(IHost host, KafkaMockCluster kafka, PeerSettings settings, BacklogResult backlog)
    {
        _host = host;
        _kafka = kafka;
        _settings = settings;
        Backlog = backlog;
    }

    /// <summary>The drain of the crash backlog, measured when the relay started.</summary>
    public BacklogResult Backlog { get; }

    /// <summary>
    /// Leaves what a crash leaves, committed events that no relay has sent (a relay that dies mid-batch holds its
    /// claim only as long as its connection), then starts the relay and times the drain.
    /// </summary>
    public static async Task<Go1Leg> StartAsync(string database, KafkaMockCluster kafka, PeerSettings settings)
    {
        await new DatabaseMigrator(database, NullLogger<DatabaseMigrator>.Instance).MigrateAsync();
        const string backlogTopic = "peer.go1.backlog";
        kafka.CreateTopic(backlogTopic, partitions: 6);
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var insert = new NpgsqlCommand("""
                INSERT INTO outbox (event_id, aggregate_id, event_type, topic, payload)
                SELECT id, id, 'PeerEvent', $1, jsonb_build_object('id', id)
                FROM (SELECT gen_random_uuid() AS id FROM generate_series(1, $2)) AS events
                """, connection) { Parameters = { new() { Value = backlogTopic }, new() { Value = settings.Backlog } } };
            await insert.ExecuteNonQueryAsync();
        }

        using var watcher = new TopicWatcher(kafka.BootstrapServers, backlogTopic);
        await watcher.AssignedAsync();
        watcher.StartClock();
        var host = Build(database, kafka.BootstrapServers);
        await host.StartAsync();
        var backlog = await PeerBenchmark.DrainAsync(watcher, settings.Backlog, settings.BacklogWait);
        Console.WriteLine($"Go1 backlog: {backlog.Seen:N0} of {backlog.Count:N0} on the topic after {backlog.Elapsed.TotalSeconds:F2} s");
        return new Go1Leg(host, kafka, settings, backlog);
    }

    public async Task<SteadyResult> SteadyAsync(int round, TimeSpan duration)
    {
        var topic = $"peer.go1.steady.{round}";
        _kafka.CreateTopic(topic, partitions: 6);
        var dataSource = _host.Services.GetRequiredService<NpgsqlDataSource>();
        var outbox = _host.Services.GetRequiredService<PostgresOutbox>();
        using var watcher = new TopicWatcher(_kafka.BootstrapServers, topic);
        await watcher.AssignedAsync();
        return await PeerBenchmark.SteadyAsync(_settings.Writers, duration, watcher, async id =>
        {
            await CommitAsync(dataSource, id, topic, watcher.Stamp);
            outbox.Written();
        });
    }

    /// <summary>One writer's transaction: a business row and its outbox row, one event per commit.</summary>
    public static async Task CommitAsync(NpgsqlDataSource dataSource, Guid id, string topic, Action<Guid> stamp)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var business = new NpgsqlCommand("INSERT INTO peer_business (id) VALUES ($1)", connection, transaction) { Parameters = { new() { Value = id } } })
        {
            await business.ExecuteNonQueryAsync();
        }

        await using (var @event = new NpgsqlCommand("INSERT INTO outbox (event_id, aggregate_id, event_type, topic, payload) VALUES ($1, $1, 'PeerEvent', $2, jsonb_build_object('id', $1))",
            connection, transaction) { Parameters = { new() { Value = id }, new() { Value = topic } } })
        {
            await @event.ExecuteNonQueryAsync();
        }

        stamp(id);
        await transaction.CommitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }

    private static IHost Build(string database, string bootstrapServers)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration["ConnectionStrings:kafka"] = bootstrapServers;
        builder.Services.AddSingleton(NpgsqlDataSource.Create(database));
        builder.Services.AddOrdersModule(builder.Configuration);
        builder.AddOutboxRelay();
        return builder.Build();
    }
}
