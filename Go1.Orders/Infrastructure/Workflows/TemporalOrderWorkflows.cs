using Go1.Orders.Application;
using Go1.Orders.Application.Events;
using Go1.Orders.Application.Ports;
using Go1.Orders.Application.Saga;
using Go1.Orders.Domain;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace Go1.Orders.Infrastructure.Workflows;

/// <summary>Starts and signals <c>order-{id}</c> workflows through the Temporal client.</summary>
public sealed class TemporalOrderWorkflows(ITemporalClient client, string taskQueue, TimeSpan maxRideDuration) : IOrderWorkflows
{
    public async Task StartAsync(OrderCreated created, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(created);
        try
        {
            await client.StartWorkflowAsync(OrderWorkflowContract.WorkflowType, [new OrderWorkflowInput(created, maxRideDuration)],
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

    /// <summary>
    /// A signal for a workflow that has already finished is late, not lost: it is dropped. A signal for a
    /// workflow that does not exist (yet) throws, so the message is retried and finally dead-lettered.
    /// </summary>
    private async Task SignalAsync(Guid orderId, string signal, object?[] args, CancellationToken cancellationToken)
    {
        var handle = client.GetWorkflowHandle(RideOrder.WorkflowIdFor(orderId));
        var rpc = new RpcOptions { CancellationToken = cancellationToken };
        try
        {
            await handle.SignalAsync(signal, args, new WorkflowSignalOptions { Rpc = rpc });
        }
        catch (RpcException ex) when (ex.Code == RpcException.StatusCode.NotFound)
        {
            if (!await HasFinishedAsync(handle, rpc))
            {
                throw;
            }
        }
    }

    private static async Task<bool> HasFinishedAsync(WorkflowHandle handle, RpcOptions rpc)
    {
        try
        {
            return (await handle.DescribeAsync(new WorkflowDescribeOptions { Rpc = rpc })).Status != WorkflowExecutionStatus.Running;
        }
        catch (RpcException)
        {
            return false; // no such workflow at all
        }
    }
}
