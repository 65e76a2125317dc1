using Go1.OrderWorker.Handlers;

namespace Go1.OrderWorker.Messaging;

public static class OrderEventsSetup
{
    /// <summary>
    /// The worker's consume loops: <c>orders.events</c>, <c>dispatch-events</c> and <c>shipment-events</c> (consumer groups
    /// <c>go1-orderworker.{topic}</c>), with PostgreSQL and Temporal outages held in place rather than dead-lettered.
    /// </summary>
    public static IHostApplicationBuilder AddOrderEventConsumers(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<SignalTarget>();
        builder.Services.AddSingleton<IDependencyOutageDetector, SagaOutageDetector>();
        builder.AddTopicConsumers("go1-orderworker", typeof(OrderCreatedHandler), typeof(DispatchEventsHandler), typeof(ShipmentEventsHandler));
        return builder;
    }
}
