using Go1.OrderApi.Apis;
using Go1.OrderApi.Auth;
using Go1.OrderApi.Http;
using Go1.Orders;
using Go1.Orders.Application;
using Scalar.AspNetCore;

namespace Go1.OrderApi;

public static class OrderApiSetup
{
    /// <summary>
    /// The orders module as the API uses it: PostgreSQL (<c>go1</c>) with statements prepared once per connection, and
    /// cache-first reads through Redis (<c>redis</c>) with the near cache.
    /// </summary>
    public static IHostApplicationBuilder AddOrders(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddNpgsqlDataSource(ConnectionNames.Database, configureDataSourceBuilder: dataSource =>
        {
            // Every request runs the same few statements: prepare them once per connection, and skip the
            // session reset on return to the pool (we never change session state).
            dataSource.ConnectionStringBuilder.MaxAutoPrepare = Math.Max(dataSource.ConnectionStringBuilder.MaxAutoPrepare, 32);
            dataSource.ConnectionStringBuilder.NoResetOnClose = true;
        });
        builder.AddGo1RedisClient(ConnectionNames.Redis);
        builder.Services.AddCachedOrderReads(builder.Configuration);
        builder.Services.AddOrdersModule(builder.Configuration);
        return builder;
    }

    /// <summary>The HTTP side: JSON as the Go system writes it, ProblemDetails with stable codes, authentication, CORS, OpenAPI.</summary>
    public static IHostApplicationBuilder AddOrdersHttp(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<OrderMetrics>();
        builder.Services.AddSingleton(sp => new OrderBodies(sp.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>(),
            nearCache: sp.SharesReadDocuments()));
        builder.Services.ConfigureHttpJsonOptions(options => OrderJson.Configure(options.SerializerOptions));
        builder.Services.AddGo1ProblemDetails();
        builder.AddGo1Authentication();
        builder.AddGo1Cors();
        builder.Services.AddOpenApi();
        return builder;
    }

    /// <summary>The request pipeline in front of every endpoint; the OpenAPI document and its reference UI in Development.</summary>
    public static WebApplication UseOrdersHttp(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
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

        return app;
    }
}
