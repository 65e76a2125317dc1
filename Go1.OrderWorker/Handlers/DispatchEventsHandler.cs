using Confluent.Kafka;
using Go1.Orders.Application.Events;
using Go1.Orders.Application.Ports;
using Go1.Orders.Domain;
using Go1.OrderWorker.Messaging;
using Go1.ServiceDefaults.Messaging;

namespace Go1.OrderWorker.Handlers;

/// <summary><c>dispatch-events</c> with status ASSIGNED → signal OrderDispatched with the driver.</summary>
public sealed partial class DispatchEventsHandler(IOrderWorkflows workflows, ILogger<DispatchEventsHandler> logger) : IMessageHandler
{
    public string Topic => DispatchEvent.Topic;

    public async Task HandleAsync(ConsumeResult<string, byte[]> message, CancellationToken cancellationToken)
    {
        var dispatch = MessageJson.Read<DispatchEvent>(message);
        if (dispatch.OrderId is not { } orderId || orderId == Guid.Empty)
        {
            throw new PoisonMessageException("dispatch event without order_id.");
        }

        if (!string.Equals(dispatch.DispatchStatus, DispatchEvent.Assigned, StringComparison.OrdinalIgnoreCase))
        {
            // Progress reports (searching, offered, ...) are the dispatch system's business, not the saga's.
            LogNotActionable(logger, orderId, dispatch.DispatchStatus);
            return;
        }

        if (string.IsNullOrWhiteSpace(dispatch.Driver?.Id))
        {
            throw new PoisonMessageException($"dispatch event for order {orderId} is ASSIGNED but names no driver.");
        }

        await workflows.OrderDispatchedAsync(orderId, new Party(dispatch.Driver.Id, dispatch.Driver.Phone, dispatch.Driver.Name), cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Dispatch status {Status} for order {OrderId} needs no action.")]
    private static partial void LogNotActionable(ILogger logger, Guid orderId, string? status);
}
