using Confluent.Kafka;
using Go1.OrderWorker.Messaging;

namespace Go1.OrderWorker.Handlers;

/// <summary>
/// <c>dispatch-events</c>: <c>ASSIGNED</c> (Go1) or <c>success</c> (the Go system) → signal OrderDispatched with the driver
/// the event names or, when it names none, the driver stored on the order (an admin can choose one when placing it).
/// With neither, the event can never succeed and is dead-lettered.
/// </summary>
public sealed partial class DispatchEventsHandler(IOrderWorkflows workflows, SignalTarget target, ILogger<DispatchEventsHandler> logger) : IMessageHandler
{
    public string Topic => DispatchEvent.Topic;

    public async Task HandleAsync(ConsumeResult<string, byte[]> message, CancellationToken cancellationToken)
    {
        var dispatch = MessageJson.Read<DispatchEvent>(message);
        if (dispatch.OrderId is not { } orderId || orderId == Guid.Empty)
        {
            throw new PoisonMessageException("dispatch event without order_id.");
        }

        if (dispatch.DispatchStatus is null || !DispatchEvent.DriverTookTheOrder.Contains(dispatch.DispatchStatus))
        {
            // Progress reports (searching, offered, ...) are the dispatch system's business, not the saga's.
            LogNotActionable(logger, orderId, dispatch.DispatchStatus);
            return;
        }

        var driver = string.IsNullOrWhiteSpace(dispatch.Driver?.Id)
            ? (await target.OrderAsync(orderId, Topic, cancellationToken)).Driver
                ?? throw new PoisonMessageException($"dispatch event for order {orderId} says {dispatch.DispatchStatus} but names no driver, and the order has none.")
            : new Party(dispatch.Driver.Id, dispatch.Driver.Phone, dispatch.Driver.Name);
        await target.SignalAsync(orderId, Topic, () => workflows.OrderDispatchedAsync(orderId, driver, cancellationToken), cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Dispatch status {Status} for order {OrderId} needs no action.")]
    private static partial void LogNotActionable(ILogger logger, Guid orderId, string? status);
}
