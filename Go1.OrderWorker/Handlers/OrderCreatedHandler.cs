using Confluent.Kafka;
using Go1.OrderWorker.Messaging;

namespace Go1.OrderWorker.Handlers;

/// <summary>
/// <c>orders.events</c> OrderCreated → start the order's workflow from the order as stored now (already started, or
/// already finished, counts as done; a final order's saga does nothing).
/// </summary>
public sealed partial class OrderCreatedHandler(IOrderWorkflows workflows, IOrderRepository orders, ILogger<OrderCreatedHandler> logger) : IMessageHandler
{
    public string Topic => OrderCreated.Topic;

    public async Task HandleAsync(ConsumeResult<string, byte[]> message, CancellationToken cancellationToken)
    {
        var eventType = RetryHeaders.Read(message?.Message.Headers, EventHeaders.EventType);
        if (eventType is not null && eventType != OrderCreated.EventType)
        {
            LogIgnored(logger, eventType);
            return;
        }

        var created = MessageJson.Read<OrderCreated>(message!);
        if (created.OrderId == Guid.Empty || string.IsNullOrWhiteSpace(created.WorkflowId))
        {
            throw new PoisonMessageException("OrderCreated without order_id or workflow_id.");
        }

        var order = await orders.FindAsync(created.OrderId, cancellationToken)
            ?? throw new PoisonMessageException($"OrderCreated for order {created.OrderId}, which does not exist.");
        await workflows.StartAsync(created, OrderProgress.Of(order), cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ignoring {EventType} on orders.events: no handler for it.")]
    private static partial void LogIgnored(ILogger logger, string eventType);
}
