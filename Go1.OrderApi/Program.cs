using Go1.OrderApi;
using Go1.OrderApi.Apis;
using Go1.OrderApi.Auth;
using Go1.OrderApi.Http;
using Go1.OrderApi.Outbox;
using Go1.OrderApi.Retention;
using Go1.Orders;
using Go1.Orders.Application;
using Scalar.AspNetCore;

if (args is [MigrateCommand.Name, ..])
{
    return await MigrateCommand.RunAsync(args[1..]);
}

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddNpgsqlDataSource("go1", configureDataSourceBuilder: dataSource =>
{
    // Every request runs the same few statements: prepare them once per connection, and skip the
    // session reset on return to the pool (we never change session state).
    dataSource.ConnectionStringBuilder.MaxAutoPrepare = Math.Max(dataSource.ConnectionStringBuilder.MaxAutoPrepare, 32);
    dataSource.ConnectionStringBuilder.NoResetOnClose = true;
});
builder.AddRedisClient("redis");
builder.AddOutboxRelay();
builder.AddRetentionCleanup();

builder.Services.AddCachedOrderReads(builder.Configuration);
builder.Services.AddOrdersModule(builder.Configuration);
builder.Services.AddSingleton<OrderMetrics>();
builder.Services.ConfigureHttpJsonOptions(options => OrderJson.Configure(options.SerializerOptions));
builder.Services.AddGo1ProblemDetails();
builder.AddGo1Authentication();
builder.AddGo1Cors();
builder.Services.AddOpenApi();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseCors();
app.UseAuthentication();
app.UseAuthorization();

if (app.Environment.IsDevelopment())
{
    app.MapOpenApi();
    app.MapScalarApiReference();
}

app.MapDefaultEndpoints();
app.MapOrdersApi();

if (app.Configuration.GetValue<bool>("Benchmark:BareEndpoint"))
{
    // The HTTP ceiling bench/orders compares GET /orders/{id} with: same pipeline, no work.
    app.MapGet("/bench/bare", () => TypedResults.Ok()).ExcludeFromDescription();
}

await app.RunAsync();
return 0;
