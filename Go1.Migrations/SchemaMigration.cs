using Go1.Orders.Infrastructure.Persistence;
using Go1.ServiceDefaults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Go1.Migrations;

/// <summary>
/// Applies the database migrations and exits, as the AppHost's first step: every service waits for it to complete.
/// Exit code 0: the schema is current; 1: migrating failed; 2: no <c>ConnectionStrings:go1</c>.
/// </summary>
public static partial class SchemaMigration
{
    public static async Task<int> RunAsync(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.ConfigureOpenTelemetry();
        var connectionString = builder.Configuration.GetConnectionString(ConnectionNames.Database);
        using var host = builder.Build();
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SchemaMigration));
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            LogNoConnectionString(logger, ConnectionNames.Database);
            return 2;
        }

        try
        {
            await new DatabaseMigrator(connectionString, host.Services.GetRequiredService<ILogger<DatabaseMigrator>>()).MigrateAsync();
            return 0;
        }
        catch (Exception ex)
        {
            LogFailed(logger, ex);
            return 1;
        }
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "ConnectionStrings:{Name} is not set; nothing to migrate.")]
    private static partial void LogNoConnectionString(ILogger logger, string name);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Database migration failed.")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
