namespace Go1.OrderWorker.Saga;

/// <summary>A signal was sent for an order whose workflow does not exist (yet): its OrderCreated may still be on its way.</summary>
public sealed class WorkflowNotStartedException(Guid orderId, Exception? innerException = null)
    : Exception($"Order {orderId} has no workflow yet.", innerException)
{
    public Guid OrderId { get; } = orderId;
}
