using Go1.Orders.Infrastructure.Persistence;

namespace Go1.OrderApi;

/// <summary>
/// <c>Go1.OrderApi migrate</c>: applies database migrations and exits. The AppHost runs it as its own
/// resource before any service starts; exit code 0 means the schema is current.
/// </summary>
internal static class MigrateCommand
{
    public const string Name = "migrate";
    public const string ConnectionName = "go1";

    public static async Task<int> RunAsync(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.ConfigureOpenTelemetry();
        var connectionString = builder.Configuration.GetConnectionString(ConnectionName);
        using var host = builder.Build();
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(MigrateCommand));
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            logger.LogCritical("ConnectionStrings:{Name} is not set; nothing to migrate.", ConnectionName);
            return 2;
        }

        try
        {
            var migrator = new DatabaseMigrator(connectionString, host.Services.GetRequiredService<ILogger<DatabaseMigrator>>());
            await migrator.MigrateAsync();
            return 0;
        }
        catch (Exception ex)
        {
            logger.LogCritical(ex, "Database migration failed.");
            return 1;
        }
    }
}
