using Go1.CdcSync;

namespace Go1.Tests.ChangeCapture;

/// <summary>
/// CdcSync in memory, startable and stoppable like a real process. With the Postgres source it uses its own
/// slot and publication (slot names are cluster-wide) and drops the slot when disposed.
/// </summary>
public sealed class CdcSyncHost(Dictionary<string, string?> settings) : IAsyncDisposable
{
    private ServiceFactory<CdcSyncService>? _factory;

    public string? Slot => settings.GetValueOrDefault("CdcSync:Postgres:Slot");

    public static CdcSyncHost Postgres(string connectionString, string redis, params (string Key, string Value)[] settings)
    {
        var all = new Dictionary<string, string?>
        {
            ["ConnectionStrings:go1"] = connectionString,
            ["ConnectionStrings:redis"] = redis,
            ["CdcSync:Source"] = "Postgres",
            ["CdcSync:Postgres:Slot"] = $"test_{Guid.NewGuid():N}",
            ["CdcSync:Postgres:Publication"] = "test_orders",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        return new(all);
    }

    public static CdcSyncHost Debezium(string topic, string kafka, string redis) => new(new()
    {
        ["ConnectionStrings:kafka"] = kafka,
        ["ConnectionStrings:redis"] = redis,
        ["CdcSync:Source"] = "Debezium",
        ["CdcSync:DebeziumTopic"] = topic,
        ["Aspire:Confluent:Kafka:Consumer:Config:FetchWaitMaxMs"] = "10",
    });

    public ServiceFactory<CdcSyncService> Factory => _factory ?? throw new InvalidOperationException("Not started.");

    /// <summary>Starts the service; with the Postgres source, returns once its slot is consistent and streaming.</summary>
    public async Task StartAsync()
    {
        _factory = new ServiceFactory<CdcSyncService>(settings);
        _ = _factory.Services; // builds and starts the host
        if (Slot is { } slot)
        {
            await WaitForSlotAsync(settings["ConnectionStrings:go1"]!, slot, active: true);
        }
    }

    public async Task StopAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
            _factory = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (Slot is { } slot)
        {
            await DropSlotAsync(settings["ConnectionStrings:go1"]!, slot);
        }
    }

    /// <summary>Drops <paramref name="slot"/> once its walsender has let go of it (slots are cluster-wide and hold WAL back).</summary>
    public static async Task DropSlotAsync(string connectionString, string slot)
    {
        await WaitForSlotAsync(connectionString, slot, active: false);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1", connection) { Parameters = { new() { Value = slot } } };
        await drop.ExecuteNonQueryAsync();
    }

    private static async Task WaitForSlotAsync(string connectionString, string slot, bool active)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            // A slot is "active" already while CREATE_REPLICATION_SLOT waits for running transactions to end, and a
            // transaction that starts in that window is never decoded: only a streaming walsender means it is consistent.
            await using var query = new NpgsqlCommand(
                """
                SELECT coalesce(r.state, CASE WHEN s.active THEN 'creating' ELSE 'inactive' END)
                FROM pg_replication_slots s LEFT JOIN pg_stat_replication r ON r.pid = s.active_pid
                WHERE s.slot_name = $1
                """,
                connection) { Parameters = { new() { Value = slot } } };
            var state = await query.ExecuteScalarAsync() as string;
            if (active ? state == "streaming" : state is null or "inactive")
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Replication slot {slot} did not become {(active ? "streaming" : "inactive")} within 30 s (state: {state ?? "missing"}).");
            }

            await Task.Delay(50);
        }
    }
}
