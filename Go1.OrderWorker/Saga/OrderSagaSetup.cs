using Go1.OrderWorker.Saga.Payments;
using Temporalio.Client;

namespace Go1.OrderWorker.Saga;

public static class OrderSagaSetup
{
    /// <summary>
    /// The order saga: its steps, the Temporal workflow port, the worker that polls the task queue (unless
    /// <c>Saga:WorkerEnabled</c> is false) and the reconciler (unless <c>Saga:Reconciler:Enabled</c> is false).
    /// Expects the Temporal client and the orders module.
    /// </summary>
    public static IHostApplicationBuilder AddOrderSaga(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var saga = builder.Configuration.GetSection(OrderSagaOptions.SectionName).Get<OrderSagaOptions>() ?? new OrderSagaOptions();
        builder.Services.AddOptions<OrderSagaOptions>().BindConfiguration(OrderSagaOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOrderSagaSteps(builder.Configuration);
        builder.Services.AddSingleton<IOrderWorkflows>(sp => new TemporalOrderWorkflows(sp.GetRequiredService<ITemporalClient>(), saga.TaskQueue, saga.MaxRideDuration));
        if (saga.WorkerEnabled)
        {
            builder.Services.AddSingleton<OrderActivities>();
            builder.Services.AddSingleton<OrderSagaWorker>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<OrderSagaWorker>());
            builder.Services.AddHealthChecks().Add(new("temporal-worker", sp => sp.GetRequiredService<OrderSagaWorker>(), failureStatus: null, tags: ["ready"]));
        }

        builder.Services.AddOptions<OrderSagaReconcilerOptions>().BindConfiguration(OrderSagaReconcilerOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        if (builder.Configuration.GetValue($"{OrderSagaReconcilerOptions.SectionName}:Enabled", true))
        {
            builder.Services.AddHostedService<OrderSagaReconciler>();
        }

        return builder;
    }

    /// <summary>
    /// The saga's steps (<see cref="OrderSagaSteps"/>) with the <c>payments</c> table and the simulated payment
    /// provider (options from <c>Payments:Simulator</c>). Expects the orders module.
    /// </summary>
    public static IServiceCollection AddOrderSagaSteps(this IServiceCollection services, IConfiguration configuration)
    {
        var simulator = configuration.GetSection(SimulatedPaymentGatewayOptions.SectionName).Get<SimulatedPaymentGatewayOptions>() ?? new SimulatedPaymentGatewayOptions();
        services.AddSingleton<IPaymentStore, PostgresPaymentStore>();
        services.AddSingleton<IPaymentGateway>(sp => new SimulatedPaymentGateway(simulator, sp.GetRequiredService<ILogger<SimulatedPaymentGateway>>()));
        services.AddSingleton<OrderSagaSteps>();
        return services;
    }
}
