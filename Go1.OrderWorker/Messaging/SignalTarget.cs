using Microsoft.Extensions.Options;

namespace Go1.OrderWorker.Messaging;

/// <summary>The order an external event names, read when a handler needs more than its id.</summary>
public sealed class SignalTarget(IOrderRepository orders, IOptions<OrderSagaReconcilerOptions> reconciler)
{
    /// <summary>Spare time past the reconciler's worst case before a signal for a missing workflow gives up.</summary>
    private static readonly TimeSpan Margin = TimeSpan.FromMinutes(1);

    /// <summary>The stored order; an event about an order that does not exist can never succeed.</summary>
    public async Task<RideOrder> OrderAsync(Guid orderId, string topic, CancellationToken cancellationToken) =>
        await orders.FindAsync(orderId, cancellationToken)
        ?? throw new PoisonMessageException($"{topic} event for order {orderId}, which does not exist.");

    /// <summary>
    /// Sends <paramref name="signal"/>; when the order's workflow does not exist yet (its OrderCreated may still be on
    /// its way, or held by an outage, or Temporal lost the run and the reconciler has yet to start it again) the message
    /// is retried for the order's auto-cancel interval and at least until the reconciler has swept, then dead-lettered.
    /// </summary>
    public async Task SignalAsync(Guid orderId, string topic, Func<Task> signal, CancellationToken cancellationToken)
    {
        try
        {
            await signal();
        }
        catch (WorkflowNotStartedException ex)
        {
            var order = await OrderAsync(orderId, topic, cancellationToken);
            var sweep = reconciler.Value.Grace + reconciler.Value.Interval + Margin;
            throw new RetryLaterException($"Order {orderId} has no workflow yet.", order.Service.AutoCancelInterval > sweep ? order.Service.AutoCancelInterval : sweep, ex);
        }
    }
}
