using Go1.Orders.Application.CreateOrder;
using Go1.Orders.Application.GetOrder;
using Go1.Orders.Application.Ports;
using Go1.Orders.Infrastructure.Outbox;
using Go1.Orders.Infrastructure.Persistence;
using Go1.Orders.Infrastructure.Workflows;
using Temporalio.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Go1.Orders;

/// <summary>The order module's one DI entry point. Expects an <c>NpgsqlDataSource</c> to be registered (e.g. by Aspire.Npgsql).</summary>
public static class OrdersModule
{
    public static IServiceCollection AddOrdersModule(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IOrderRepository, PostgresOrderRepository>();
        services.AddSingleton<PostgresServiceCatalog>();
        services.AddSingleton<IServiceCatalog>(sp => new CachedServiceCatalog(sp.GetRequiredService<PostgresServiceCatalog>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<PostgresOutbox>();
        services.AddSingleton<IOutbox>(sp => sp.GetRequiredService<PostgresOutbox>());
        services.AddSingleton<CreateOrderHandler>();
        services.AddSingleton<GetOrderHandler>();
        return services;
    }

    /// <summary>Starts and signals order workflows through Temporal (expects an <c>ITemporalClient</c>).</summary>
    public static IServiceCollection AddTemporalOrderWorkflows(this IServiceCollection services, string taskQueue)
    {
        services.AddSingleton<IOrderWorkflows>(sp => new TemporalOrderWorkflows(sp.GetRequiredService<ITemporalClient>(), taskQueue));
        return services;
    }
}
