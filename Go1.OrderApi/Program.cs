using Go1.OrderApi;
using Go1.OrderApi.Apis;
using Go1.OrderApi.Outbox;
using Go1.OrderApi.Retention;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddOrders();
builder.AddOutboxRelay();
builder.AddRetentionCleanup();
builder.AddOrdersHttp();

var app = builder.Build();

app.UseOrdersHttp();
app.MapDefaultEndpoints();
app.MapOrdersApi();
app.MapBenchmarkApi(app.Configuration);

await app.RunAsync();
