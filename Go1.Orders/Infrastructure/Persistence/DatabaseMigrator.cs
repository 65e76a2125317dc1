using DbUp;
using DbUp.Engine.Output;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Go1.Orders.Infrastructure.Persistence;

/// <summary>
/// Applies the SQL scripts embedded under <c>Infrastructure/Migrations</c>, in name order, once each.
/// A session-level advisory lock serialises concurrent runs (several replicas, or the AppHost step
/// racing a test), so running it twice or at the same time is safe.
/// </summary>
public sealed partial class DatabaseMigrator(string connectionString, ILogger<DatabaseMigrator> logger)
{
    /// <summary>Arbitrary but fixed key: every Go1 migrator instance contends for the same lock.</summary>
    private const long AdvisoryLockKey = 0x476F_314D_6967; // "Go1Mig"

    public const string JournalTable = "schema_migrations";

    /// <summary>Runs pending scripts and returns their names (empty when the schema is current).</summary>
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var lockConnection = new NpgsqlConnection(connectionString);
        await lockConnection.OpenAsync(cancellationToken);
        await using (var acquire = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", lockConnection))
        {
            acquire.Parameters.AddWithValue("key", AdvisoryLockKey);
            await acquire.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            var upgrader = DeployChanges.To
                .PostgresqlDatabase(connectionString)
                .WithScriptsEmbeddedInAssembly(typeof(DatabaseMigrator).Assembly, name => name.Contains(".Migrations.", StringComparison.Ordinal))
                .JournalToPostgresqlTable("public", JournalTable)
                .WithTransactionPerScript()
                // Scripts contain plpgsql bodies; DbUp's $variable$ substitution must not touch them.
                .WithVariablesDisabled()
                .LogTo(new MicrosoftUpgradeLog(logger))
                .Build();

            var result = upgrader.PerformUpgrade();
            if (!result.Successful)
            {
                throw new InvalidOperationException($"Migration script '{result.ErrorScript?.Name}' failed.", result.Error);
            }

            var applied = result.Scripts.Select(s => s.Name).ToArray();
            LogMigrated(logger, applied.Length);
            return applied;
        }
        finally
        {
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", lockConnection);
            release.Parameters.AddWithValue("key", AdvisoryLockKey);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Database schema is current; {Applied} script(s) applied in this run.")]
    private static partial void LogMigrated(ILogger logger, int applied);
}
