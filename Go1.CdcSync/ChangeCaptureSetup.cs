using Go1.CdcSync.Debezium;
using Go1.CdcSync.Postgres;
using Go1.Messaging;
using Go1.Orders;
using Go1.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace Go1.CdcSync;

public static class ChangeCaptureSetup
{
    /// <summary>
    /// Change capture into the Redis order cache: the source <c>CdcSync:Source</c> names (pgoutput from the
    /// <c>go1</c> database, or Debezium's topic), the projector and the worker with its health check.
    /// Expects the Redis client.
    /// </summary>
    public static IHostApplicationBuilder AddChangeCapture(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Configuration.GetSection(CdcSyncOptions.SectionName).Get<CdcSyncOptions>() ?? new CdcSyncOptions();
        builder.Services.AddOptions<CdcSyncOptions>().BindConfiguration(CdcSyncOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOrderCacheWriter(builder.Configuration);
        builder.Services.AddSingleton<OrderCacheProjector>();
        if (options.Source == ChangeSourceKind.Debezium)
        {
            builder.AddTopicConsumers("go1-cdcsync");
            builder.Services.AddSingleton<IOrderChangeSource, DebeziumOrderChangeSource>();
        }
        else
        {
            builder.AddNpgsqlDataSource(ConnectionNames.Database); // its health check and tracing; the source opens its own replication connection
            builder.Services.AddPostgresOrderChangeSource(builder.Configuration);
        }

        builder.Services.AddSingleton<CdcSyncWorker>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<CdcSyncWorker>());
        builder.Services.AddHealthChecks().Add(new("cdc-sync", sp => sp.GetRequiredService<CdcSyncWorker>(), failureStatus: null, tags: null));
        return builder;
    }

    /// <summary>
    /// The pgoutput change source: logical replication from the database of connection string
    /// <paramref name="connectionName"/>, with publication and slot from <c>CdcSync:Postgres</c>.
    /// </summary>
    public static IServiceCollection AddPostgresOrderChangeSource(this IServiceCollection services, IConfiguration configuration, string connectionName = ConnectionNames.Database)
    {
        services.AddOptions<PostgresChangeSourceOptions>()
            .Bind(configuration.GetSection(PostgresChangeSourceOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IOrderChangeSource>(sp => new PostgresOrderChangeSource(
            configuration.GetConnectionString(connectionName) ?? throw new InvalidOperationException($"ConnectionStrings:{connectionName} is required by the Postgres change source."),
            sp.GetRequiredService<IOptions<PostgresChangeSourceOptions>>().Value,
            sp.GetRequiredService<ILogger<PostgresOrderChangeSource>>()));
        return services;
    }
}
