using Go1.Orders.Application.CreateOrder;
using Go1.Orders.Application.GetOrder;
using Go1.Orders.Application.Ports;
using Go1.Orders.Infrastructure.Cache;
using Go1.Orders.Infrastructure.Outbox;
using Go1.Orders.Infrastructure.Persistence;
using Go1.Orders.Infrastructure.Workflows;
using Temporalio.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Go1.Orders;

/// <summary>The order module's one DI entry point. Expects an <c>NpgsqlDataSource</c> to be registered (e.g. by Aspire.Npgsql).</summary>
public static class OrdersModule
{
    public static IServiceCollection AddOrdersModule(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<PostgresOrderRepository>();
        services.TryAddSingleton<IOrderRepository>(sp => sp.GetRequiredService<PostgresOrderRepository>());
        services.AddSingleton<PostgresServiceCatalog>();
        services.AddSingleton<IServiceCatalog>(sp => new CachedServiceCatalog(sp.GetRequiredService<PostgresServiceCatalog>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<PostgresOutbox>();
        services.AddSingleton<IOutbox>(sp => sp.GetRequiredService<PostgresOutbox>());
        services.AddSingleton<CreateOrderHandler>();
        services.AddSingleton<GetOrderHandler>();
        return services;
    }

    /// <summary>
    /// Cache-first order reads through Redis (expects an <c>IConnectionMultiplexer</c>); call before
    /// <see cref="AddOrdersModule"/>. Options from the <c>OrderCache</c> section.
    /// </summary>
    public static IServiceCollection AddCachedOrderReads(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(OrderCacheOptions.SectionName).Get<OrderCacheOptions>() ?? new OrderCacheOptions();
        services.AddSingleton<IOrderCache>(sp => new RedisOrderCache(sp.GetRequiredService<StackExchange.Redis.IConnectionMultiplexer>(), options));
        services.AddSingleton<IOrderRepository>(sp => new CacheFirstOrderRepository(
            sp.GetRequiredService<PostgresOrderRepository>(), sp.GetRequiredService<IOrderCache>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
        return services;
    }

    /// <summary>Starts and signals order workflows through Temporal (expects an <c>ITemporalClient</c>).</summary>
    public static IServiceCollection AddTemporalOrderWorkflows(this IServiceCollection services, string taskQueue)
    {
        services.AddSingleton<IOrderWorkflows>(sp => new TemporalOrderWorkflows(sp.GetRequiredService<ITemporalClient>(), taskQueue));
        return services;
    }
}
