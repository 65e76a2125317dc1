using Go1.Orders.Application;
using Go1.Orders.Application.Events;
using Go1.Orders.Application.Ports;
using Go1.Orders.Domain;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace Go1.Orders.Infrastructure.Workflows;

/// <summary>Starts and signals <c>order-{id}</c> workflows through the Temporal client.</summary>
public sealed class TemporalOrderWorkflows(ITemporalClient client, string taskQueue) : IOrderWorkflows
{
    public async Task StartAsync(OrderCreated created, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(created);
        try
        {
            await client.StartWorkflowAsync(OrderWorkflowContract.WorkflowType, [created],
                new WorkflowOptions(created.WorkflowId, taskQueue) { Rpc = new RpcOptions { CancellationToken = cancellationToken } });
        }
        catch (WorkflowAlreadyStartedException)
        {
            // A redelivered OrderCreated: the workflow exists, which is all we wanted.
        }
    }

    public Task OrderDispatchedAsync(Guid orderId, Party driver, CancellationToken cancellationToken) =>
        SignalAsync(orderId, OrderWorkflowContract.OrderDispatchedSignal, [driver], cancellationToken);

    public Task OrderDeliveredAsync(Guid orderId, CancellationToken cancellationToken) =>
        SignalAsync(orderId, OrderWorkflowContract.OrderDeliveredSignal, [], cancellationToken);

    public Task OrderCanceledAsync(Guid orderId, CancellationToken cancellationToken) =>
        SignalAsync(orderId, OrderWorkflowContract.OrderCanceledSignal, [], cancellationToken);

    private Task SignalAsync(Guid orderId, string signal, object?[] args, CancellationToken cancellationToken) =>
        client.GetWorkflowHandle(RideOrder.WorkflowIdFor(orderId))
            .SignalAsync(signal, args, new WorkflowSignalOptions { Rpc = new RpcOptions { CancellationToken = cancellationToken } });
}
