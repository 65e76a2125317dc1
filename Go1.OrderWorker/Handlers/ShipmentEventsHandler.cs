using Confluent.Kafka;
using Go1.OrderWorker.Messaging;

namespace Go1.OrderWorker.Handlers;

/// <summary><c>shipment-events</c> DELIVERED / CANCELED → signal OrderDelivered / OrderCanceled.</summary>
public sealed class ShipmentEventsHandler(IOrderWorkflows workflows, SignalTarget target) : IMessageHandler
{
    public string Topic => ShipmentEvent.Topic;

    public Task HandleAsync(ConsumeResult<string, byte[]> message, CancellationToken cancellationToken)
    {
        var shipment = MessageJson.Read<ShipmentEvent>(message);
        if (shipment.OrderId is not { } orderId || orderId == Guid.Empty)
        {
            throw new PoisonMessageException("shipment event without order_id.");
        }

        Func<Task> signal = shipment.Status?.ToUpperInvariant() switch
        {
            ShipmentEvent.Delivered => () => workflows.OrderDeliveredAsync(orderId, cancellationToken),
            ShipmentEvent.Canceled => () => workflows.OrderCanceledAsync(orderId, cancellationToken),
            var other => throw new PoisonMessageException($"shipment status '{other}' is neither DELIVERED nor CANCELED."),
        };
        return target.SignalAsync(orderId, Topic, signal, cancellationToken);
    }
}
