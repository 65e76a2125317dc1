using System.ComponentModel.DataAnnotations;
using System.Diagnostics.Metrics;
using Go1.Orders.Application.CreateOrder;
using Go1.Orders.Application.GetOrder;
using Go1.Orders.Application.Ports;
using Go1.Orders.Infrastructure.Cache;
using Go1.Orders.Infrastructure.Outbox;
using Go1.Orders.Infrastructure.Persistence;
using Go1.Orders.Infrastructure.Pricing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using StackExchange.Redis;

namespace Go1.Orders;

/// <summary>The order module's one DI entry point. Expects an <c>NpgsqlDataSource</c> to be registered (e.g. by Aspire.Npgsql).</summary>
public static class OrdersModule
{
    public static IServiceCollection AddOrdersModule(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<OrderWriteOptions>().Bind(configuration.GetSection(OrderWriteOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<PostgresOrderRepository>();
        services.AddSingleton<IOrderRepository>(sp => sp.GetRequiredService<PostgresOrderRepository>());
        services.TryAddSingleton<IOrderReads>(sp => sp.GetRequiredService<PostgresOrderRepository>());
        services.AddSingleton<IOpenOrders>(sp => sp.GetRequiredService<PostgresOrderRepository>());
        services.AddSingleton<PostgresServiceCatalog>();
        services.AddSingleton<IServiceCatalog>(sp => new CachedServiceCatalog(sp.GetRequiredService<PostgresServiceCatalog>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IFarePricing, TariffFarePricing>();
        services.AddSingleton<IDataRetention, PostgresDataRetention>();
        services.AddSingleton<PostgresOutbox>();
        services.AddSingleton<IOutbox>(sp => sp.GetRequiredService<PostgresOutbox>());
        services.AddSingleton<CreateOrderHandler>();
        services.AddSingleton<GetOrderHandler>();
        return services;
    }

    /// <summary>
    /// Cache-first order reads through Redis (expects an <c>IConnectionMultiplexer</c>), with an in-process
    /// <see cref="NearCache"/> in front of it unless <c>OrderCache:Near:Enabled</c> is false; call before
    /// <see cref="AddOrdersModule"/>. Options from the <c>OrderCache</c> section.
    /// </summary>
    public static IServiceCollection AddCachedOrderReads(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOrderCache(configuration, nearCache: true);
        services.AddSingleton<IOrderReads>(sp => new CacheFirstOrderReads(
            sp.GetRequiredService<PostgresOrderRepository>(), sp.GetRequiredService<IOrderCache>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IMeterFactory>()));
        return services;
    }

    /// <summary>
    /// The Redis order cache as its writer uses it (expects an <c>IConnectionMultiplexer</c>): no near cache.
    /// Options from the <c>OrderCache</c> section.
    /// </summary>
    public static IServiceCollection AddOrderCacheWriter(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOrderCache(configuration, nearCache: false);
        return services;
    }

    /// <summary>
    /// True when reads hand out shared documents: the near cache returns the same <see cref="ReadModel.OrderDocument"/>
    /// to every hit, so what a reader derives from one (a rendered body) is worth keeping beside it.
    /// </summary>
    public static bool SharesReadDocuments(this IServiceProvider services) => services.GetService<NearCache>() is not null;

    /// <summary>The Redis order cache; readers (<paramref name="nearCache"/>) also get the near cache unless it is switched off.</summary>
    private static void AddOrderCache(this IServiceCollection services, IConfiguration configuration, bool nearCache)
    {
        var options = configuration.GetSection(OrderCacheOptions.SectionName).Get<OrderCacheOptions>() ?? new OrderCacheOptions();
        var near = nearCache && options.Near.Enabled;
        if (near)
        {
            Validator.ValidateObject(options.Near, new ValidationContext(options.Near), validateAllProperties: true);
            services.AddSingleton(sp => new NearCache(options.Near, sp.GetRequiredService<IMeterFactory>()));
            services.AddHostedService<NearCacheInvalidations>();
        }

        services.TryAddSingleton<IOrderCache>(sp => new RedisOrderCache(
            sp.GetRequiredService<IConnectionMultiplexer>(), options, near ? sp.GetRequiredService<NearCache>() : null));
    }
}
