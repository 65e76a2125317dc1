using System.Reflection;
using Go1.Orders.Application.Events;
using Go1.Orders.Infrastructure.Workflows;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.WorkflowService.V1;
using Temporalio.Client;
using Temporalio.Client.Interceptors;
using Temporalio.Converters;
using Temporalio.Exceptions;

namespace Go1.Tests.Infrastructure;

/// <summary>The Temporal adapter's own rule: a redelivered OrderCreated is a no-op. (Server behaviour is covered by the saga's workflow tests.)</summary>
public sealed class TemporalOrderWorkflowsTests
{
    /// <summary>A client whose every call fails with the given exception, recording what was called.</summary>
    public class FailingClient : DispatchProxy
    {
        public Exception Failure { get; set; } = new InvalidOperationException();

        public List<string> Calls { get; } = [];

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            Calls.Add(targetMethod!.Name);
            var result = targetMethod.ReturnType.GetGenericArguments().Single();
            return typeof(Task).GetMethods().Single(m => m.Name == nameof(Task.FromException) && m.IsGenericMethod)
                .MakeGenericMethod(result).Invoke(null, [Failure]);
        }
    }

    private static OrderCreated Created()
    {
        var id = Guid.CreateVersion7();
        return new OrderCreated(Guid.CreateVersion7(), id, DateTimeOffset.UtcNow, "FINDING", "taxi", "RIDE-TAXI", "cash", "POSTPAID", "c", null, 300, false, DateTimeOffset.UtcNow, $"order-{id}");
    }

    [Fact]
    public async Task Starting_an_order_whose_workflow_already_exists_succeeds()
    {
        var client = DispatchProxy.Create<ITemporalClient, FailingClient>();
        var created = Created();
        ((FailingClient)(object)client).Failure = new WorkflowAlreadyStartedException("Already started", created.WorkflowId, "OrderWorkflow", "run-1");

        await new TemporalOrderWorkflows(client, "go1-orders", TimeSpan.FromHours(4)).StartAsync(created, TestContext.Current.CancellationToken);

        Assert.Equal(["StartWorkflowAsync"], ((FailingClient)(object)client).Calls);
    }

    [Fact]
    public async Task Other_start_failures_propagate_so_the_message_is_retried()
    {
        var client = DispatchProxy.Create<ITemporalClient, FailingClient>();
        ((FailingClient)(object)client).Failure = new RpcException(RpcException.StatusCode.Unavailable, "frontend down", null);

        await Assert.ThrowsAsync<RpcException>(() => new TemporalOrderWorkflows(client, "go1-orders", TimeSpan.FromHours(4)).StartAsync(Created(), TestContext.Current.CancellationToken));
    }

    /// <summary>A client whose signals fail with <paramref name="signalError"/> and whose describe answers <paramref name="status"/> (null: no such workflow).</summary>
    public class SignalClient : DispatchProxy
    {
        public ClientOutboundInterceptor Outbound { get; set; } = null!;

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => targetMethod!.Name switch
        {
            "get_OutboundInterceptor" => Outbound,
            nameof(ITemporalClient.GetWorkflowHandle) => new WorkflowHandle((ITemporalClient)(object)this, (string)args![0]!),
            _ => throw new NotSupportedException(targetMethod.Name),
        };
    }

    private sealed class ScriptedOutbound(RpcException.StatusCode? signalError, WorkflowExecutionStatus? status) : ClientOutboundInterceptor(null!)
    {
        public override Task SignalWorkflowAsync(SignalWorkflowInput input) =>
            signalError is { } code ? throw new RpcException(code, "signal refused", null) : Task.CompletedTask;

        public override Task<WorkflowExecutionDescription> DescribeWorkflowAsync(DescribeWorkflowInput input) => status is { } s
            ? Task.FromResult(Description(new DescribeWorkflowExecutionResponse
            {
                WorkflowExecutionInfo = new() { Status = s, Execution = new() { WorkflowId = input.Id, RunId = "run-1" }, Type = new() { Name = "OrderWorkflow" } },
            }))
            : throw new RpcException(RpcException.StatusCode.NotFound, "workflow not found", null);
    }

    // The SDK builds descriptions only from server answers; its constructor is internal.
    private static WorkflowExecutionDescription Description(DescribeWorkflowExecutionResponse response) =>
        (WorkflowExecutionDescription)Activator.CreateInstance(
            typeof(WorkflowExecutionDescription), BindingFlags.NonPublic | BindingFlags.Instance, null, [response, DataConverter.Default], null)!;

    private static TemporalOrderWorkflows Workflows(RpcException.StatusCode? signalError, WorkflowExecutionStatus? status)
    {
        var client = DispatchProxy.Create<ITemporalClient, SignalClient>();
        ((SignalClient)(object)client).Outbound = new ScriptedOutbound(signalError, status);
        return new TemporalOrderWorkflows(client, "go1-orders", TimeSpan.FromHours(4));
    }

    [Fact]
    public async Task A_late_signal_to_a_finished_workflow_is_dropped()
    {
        await Workflows(RpcException.StatusCode.NotFound, WorkflowExecutionStatus.Completed).OrderDeliveredAsync(Guid.CreateVersion7(), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_signal_to_a_workflow_that_does_not_exist_yet_throws_so_the_message_is_retried()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            Workflows(RpcException.StatusCode.NotFound, status: null).OrderCanceledAsync(Guid.CreateVersion7(), TestContext.Current.CancellationToken));

        Assert.Equal("signal refused", error.Message);
    }

    [Fact]
    public async Task Other_signal_failures_propagate()
    {
        await Assert.ThrowsAsync<RpcException>(() =>
            Workflows(RpcException.StatusCode.Unavailable, WorkflowExecutionStatus.Running).OrderDispatchedAsync(Guid.CreateVersion7(), new("drv", null, null), TestContext.Current.CancellationToken));
    }
}
