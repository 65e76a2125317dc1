using Go1.Orders.Application.Events;
using Go1.Orders.Domain;

namespace Go1.Orders.Application.Ports;

/// <summary>
/// The order saga as the messaging side drives it. Implementations are idempotent: starting an order
/// that already has a workflow succeeds, and a signal the workflow has already seen is ignored by it.
/// A signal for an order without a workflow throws, so the message is retried and then dead-lettered.
/// </summary>
public interface IOrderWorkflows
{
    Task StartAsync(OrderCreated created, CancellationToken cancellationToken);

    Task OrderDispatchedAsync(Guid orderId, Party driver, CancellationToken cancellationToken);

    Task OrderDeliveredAsync(Guid orderId, CancellationToken cancellationToken);

    Task OrderCanceledAsync(Guid orderId, CancellationToken cancellationToken);
}
