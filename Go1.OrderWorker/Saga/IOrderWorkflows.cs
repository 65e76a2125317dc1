namespace Go1.OrderWorker.Saga;

/// <summary>
/// The order saga as the messaging side drives it. Implementations are idempotent: starting an order that has or
/// had a workflow succeeds without starting another, and a signal the workflow has already seen is ignored by it.
/// A signal for an order without a workflow throws <see cref="WorkflowNotStartedException"/>; an unreachable
/// Temporal throws <see cref="Go1.Orders.Application.DependencyUnavailableException"/>.
/// </summary>
public interface IOrderWorkflows
{
    /// <summary>Starts the order's saga from <paramref name="progress"/>, the order as stored now.</summary>
    Task StartAsync(OrderCreated created, OrderProgress progress, CancellationToken cancellationToken);

    /// <summary>How the order's workflow stands; <see cref="SagaRunStatus.None"/> when it has none.</summary>
    Task<SagaRunStatus> StatusAsync(Guid orderId, CancellationToken cancellationToken);

    Task OrderDispatchedAsync(Guid orderId, Party driver, CancellationToken cancellationToken);

    Task OrderDeliveredAsync(Guid orderId, CancellationToken cancellationToken);

    Task OrderCanceledAsync(Guid orderId, CancellationToken cancellationToken);
}
