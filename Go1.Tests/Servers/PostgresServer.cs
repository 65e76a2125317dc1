using Go1.Orders.Infrastructure.Persistence;
using Testcontainers.PostgreSql;

[assembly: AssemblyFixture(typeof(Go1.Tests.Servers.PostgresServer))]

namespace Go1.Tests.Servers;

/// <summary>
/// One real PostgreSQL (logical replication on) for the whole test run. In order of preference:
/// <c>GO1_TEST_POSTGRES</c> (an admin connection string), a private server started from the local
/// PostgreSQL binaries, a Testcontainers container when a Docker engine answers. Each test class
/// isolates itself with its own database from <see cref="CreateDatabaseAsync"/>.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    public const string InstallHint = "apt-get install -y postgresql  (or set GO1_TEST_POSTGRES to an admin connection string)";

    private string? _dataRoot;
    private string? _binDirectory;
    private PostgreSqlContainer? _container;

    /// <summary>Connection string of a superuser on the <c>postgres</c> database.</summary>
    public string AdminConnectionString { get; private set; } = string.Empty;

    public string Source { get; private set; } = string.Empty;

    public async ValueTask InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable("GO1_TEST_POSTGRES") is { Length: > 0 } external)
        {
            AdminConnectionString = external;
            Source = "GO1_TEST_POSTGRES";
        }
        else if (FindBinaries() is { } bin)
        {
            await StartPrivateServerAsync(bin);
        }
        else if (await ProcessRunner.DockerEngineAvailableAsync())
        {
            _container = new PostgreSqlBuilder("postgres:17.6")
                .WithCommand("-c", "wal_level=logical", "-c", "max_wal_senders=20", "-c", "max_replication_slots=20")
                .Build();
            await _container.StartAsync();
            AdminConnectionString = _container.GetConnectionString();
            Source = "Testcontainers";
        }
        else
        {
            throw new InvalidOperationException($"Tests need PostgreSQL 15+ and none was found. Install it: {InstallHint}");
        }
    }

    /// <summary>Creates an empty database and returns a connection string to it.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "go1_test")
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(63, prefix.Length + 33)];
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>Creates a database and applies every Go1 migration to it.</summary>
    public async Task<string> CreateMigratedDatabaseAsync(string prefix = "go1_test")
    {
        var connectionString = await CreateDatabaseAsync(prefix);
        await new DatabaseMigrator(connectionString, NullLogger<DatabaseMigrator>.Instance).MigrateAsync();
        return connectionString;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_container is not null)
        {
            await _container.DisposeAsync();
        }

        if (_dataRoot is not null && _binDirectory is not null)
        {
            await RunPostgresToolAsync("pg_ctl", "-D", Path.Combine(_dataRoot, "data"), "-m", "immediate", "-w", "stop");
            Directory.Delete(_dataRoot, recursive: true);
        }
    }

    private static string? FindBinaries()
    {
        if (Environment.GetEnvironmentVariable("GO1_PG_BIN") is { Length: > 0 } configured)
        {
            return configured;
        }

        return Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(bin => File.Exists(Path.Combine(bin, "initdb")))
                .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
    }

    private async Task StartPrivateServerAsync(string bin)
    {
        _binDirectory = bin;
        _dataRoot = Directory.CreateTempSubdirectory("go1-pg-").FullName;
        if (ProcessRunner.IsRoot)
        {
            // PostgreSQL refuses to run as root; hand the directory to its own user.
            await ProcessRunner.RunCheckedAsync("chown", "postgres:postgres", _dataRoot);
        }

        var data = Path.Combine(_dataRoot, "data");
        await RunPostgresToolAsync("initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync");
        var port = FreePort.Next();
        await File.AppendAllTextAsync(Path.Combine(data, "postgresql.conf"), $"""

            listen_addresses = '127.0.0.1'
            port = {port}
            unix_socket_directories = '{_dataRoot}'
            wal_level = logical
            max_wal_senders = 20
            max_replication_slots = 20
            max_connections = 300
            # A throwaway test server: durability buys nothing here.
            fsync = off
            synchronous_commit = off
            full_page_writes = off
            """);
        await RunPostgresToolAsync("pg_ctl", "-D", data, "-l", Path.Combine(_dataRoot, "server.log"), "-w", "start");
        AdminConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=true;Maximum Pool Size=50";
        Source = $"private server from {bin} on port {port}";
    }

    private Task<string> RunPostgresToolAsync(string tool, params string[] arguments)
    {
        var path = Path.Combine(_binDirectory!, tool);
        return ProcessRunner.IsRoot
            ? ProcessRunner.RunCheckedAsync("runuser", ["-u", "postgres", "--", path, .. arguments])
            : ProcessRunner.RunCheckedAsync(path, arguments);
    }
}
