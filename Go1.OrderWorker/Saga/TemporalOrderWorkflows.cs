using System.Linq.Expressions;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace Go1.OrderWorker.Saga;

/// <summary>
/// Starts and signals <c>order-{id}</c> workflows through the Temporal client. An unreachable or overloaded
/// Temporal surfaces as <see cref="DependencyUnavailableException"/>, so callers wait and retry instead of
/// blaming the message.
/// </summary>
public sealed class TemporalOrderWorkflows(ITemporalClient client, string taskQueue, TimeSpan maxRideDuration) : IOrderWorkflows
{
    private const string Dependency = "Temporal";

    public async Task StartAsync(OrderCreated created, OrderProgress progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(created);
        try
        {
            await GuardAsync(() => client.StartWorkflowAsync((OrderWorkflow wf) => wf.RunAsync(new OrderWorkflowInput(created, maxRideDuration, progress)),
                new WorkflowOptions(created.WorkflowId, taskQueue)
                {
                    // Temporal's default lets a closed workflow's id start a new run: a redelivered OrderCreated would then
                    // run a second saga over a finished order. One order, one saga, ever.
                    IdReusePolicy = WorkflowIdReusePolicy.RejectDuplicate,
                    Rpc = new RpcOptions { CancellationToken = cancellationToken },
                }));
        }
        catch (WorkflowAlreadyStartedException)
        {
            // A redelivered OrderCreated: the workflow runs or has run, which is all we wanted.
        }
    }

    public async Task<SagaRunStatus> StatusAsync(Guid orderId, CancellationToken cancellationToken)
    {
        try
        {
            var description = await GuardAsync(() => client.GetWorkflowHandle(RideOrder.WorkflowIdFor(orderId))
                .DescribeAsync(new WorkflowDescribeOptions { Rpc = new RpcOptions { CancellationToken = cancellationToken } }));
            return description.Status switch
            {
                WorkflowExecutionStatus.Running => SagaRunStatus.Running,
                WorkflowExecutionStatus.Completed => SagaRunStatus.Completed,
                WorkflowExecutionStatus.Failed => SagaRunStatus.Failed,
                WorkflowExecutionStatus.Canceled => SagaRunStatus.Canceled,
                WorkflowExecutionStatus.Terminated => SagaRunStatus.Terminated,
                WorkflowExecutionStatus.TimedOut => SagaRunStatus.TimedOut,
                WorkflowExecutionStatus.ContinuedAsNew => SagaRunStatus.ContinuedAsNew,
                var other => throw new InvalidOperationException($"Unknown workflow status {other}."),
            };
        }
        catch (RpcException ex) when (ex.Code == RpcException.StatusCode.NotFound)
        {
            return SagaRunStatus.None;
        }
    }

    public Task OrderDispatchedAsync(Guid orderId, Party driver, CancellationToken cancellationToken) =>
        SignalAsync(orderId, wf => wf.OrderDispatchedAsync(driver), cancellationToken);

    public Task OrderDeliveredAsync(Guid orderId, CancellationToken cancellationToken) =>
        SignalAsync(orderId, wf => wf.OrderDeliveredAsync(), cancellationToken);

    public Task OrderCanceledAsync(Guid orderId, CancellationToken cancellationToken) =>
        SignalAsync(orderId, wf => wf.OrderCanceledAsync(), cancellationToken);

    /// <summary>
    /// A signal for a workflow that has already finished is late, not lost: it is dropped. A signal for a workflow
    /// that does not exist (yet) throws <see cref="WorkflowNotStartedException"/>.
    /// </summary>
    private async Task SignalAsync(Guid orderId, Expression<Func<OrderWorkflow, Task>> signal, CancellationToken cancellationToken)
    {
        var handle = client.GetWorkflowHandle<OrderWorkflow>(RideOrder.WorkflowIdFor(orderId));
        var rpc = new RpcOptions { CancellationToken = cancellationToken };
        try
        {
            await GuardAsync(async () =>
            {
                await handle.SignalAsync(signal, new WorkflowSignalOptions { Rpc = rpc });
                return true;
            });
        }
        catch (RpcException ex) when (ex.Code == RpcException.StatusCode.NotFound)
        {
            if (!await HasFinishedAsync(handle, rpc))
            {
                throw new WorkflowNotStartedException(orderId, ex);
            }
        }
    }

    private async Task<bool> HasFinishedAsync(WorkflowHandle handle, RpcOptions rpc)
    {
        try
        {
            return (await GuardAsync(() => handle.DescribeAsync(new WorkflowDescribeOptions { Rpc = rpc }))).Status != WorkflowExecutionStatus.Running;
        }
        catch (RpcException ex) when (ex.Code == RpcException.StatusCode.NotFound)
        {
            return false; // no such workflow at all
        }
    }

    /// <summary>Failures that say Temporal is not answering (rather than refusing this call) become <see cref="DependencyUnavailableException"/>.</summary>
    private async Task<T> GuardAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (RpcException ex) when (ex.Code is RpcException.StatusCode.Unavailable or RpcException.StatusCode.DeadlineExceeded
            or RpcException.StatusCode.ResourceExhausted or RpcException.StatusCode.Aborted or RpcException.StatusCode.Internal
            or RpcException.StatusCode.Unknown)
        {
            throw new DependencyUnavailableException(Dependency, ex);
        }
        catch (InvalidOperationException ex) when (client.Connection is TemporalConnection { IsConnected: false })
        {
            // A lazy client's first call against a server that is not there: "Failed client connect: ...".
            throw new DependencyUnavailableException(Dependency, ex);
        }
    }
}
