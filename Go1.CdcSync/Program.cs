using Go1.CdcSync;
using Go1.CdcSync.Debezium;
using Go1.Orders;
using Go1.Orders.Application.Ports;
using Go1.ServiceDefaults.Messaging;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddRedisClient("redis");

var options = builder.Configuration.GetSection(CdcSyncOptions.SectionName).Get<CdcSyncOptions>() ?? new CdcSyncOptions();
builder.Services.AddOptions<CdcSyncOptions>().BindConfiguration(CdcSyncOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddOrderCacheProjection(builder.Configuration);
if (options.Source == ChangeSourceKind.Debezium)
{
    builder.AddTopicConsumers("go1-cdcsync");
    builder.Services.AddSingleton<IOrderChangeSource, DebeziumOrderChangeSource>();
}
else
{
    builder.AddNpgsqlDataSource("go1"); // its health check and tracing; the source opens its own replication connection
    builder.Services.AddPostgresOrderChangeSource(builder.Configuration);
}

builder.Services.AddSingleton<CdcSyncWorker>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<CdcSyncWorker>());
builder.Services.AddHealthChecks().Add(new("cdc-sync", sp => sp.GetRequiredService<CdcSyncWorker>(), failureStatus: null, tags: null));

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
