using System.Reflection;
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

        public List<object?[]> Args { get; } = [];

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            Calls.Add(targetMethod!.Name);
            Args.Add(args ?? []);
            var result = targetMethod.ReturnType.GetGenericArguments().Single();
            return typeof(Task).GetMethods().Single(m => m.Name == nameof(Task.FromException) && m.IsGenericMethod)
                .MakeGenericMethod(result).Invoke(null, [Failure]);
        }
    }

    private static readonly OrderProgress Finding = new("FINDING", null);

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

        await new TemporalOrderWorkflows(client, "go1-orders", TimeSpan.FromHours(4)).StartAsync(created, Finding, TestContext.Current.CancellationToken);

        Assert.Equal(["StartWorkflowAsync"], ((FailingClient)(object)client).Calls);
    }

    [Fact]
    public async Task A_repeated_OrderCreated_never_reuses_the_id_of_a_closed_workflow()
    {
        // Temporal's default reuse policy lets a closed workflow's id start a new run: a redelivered OrderCreated
        // would then run a second saga over a finished order. The server must be asked to refuse it.
        var client = DispatchProxy.Create<ITemporalClient, FailingClient>();
        var created = Created();
        ((FailingClient)(object)client).Failure = new WorkflowAlreadyStartedException("Already started", created.WorkflowId, "OrderWorkflow", "run-1");

        await new TemporalOrderWorkflows(client, "go1-orders", TimeSpan.FromHours(4)).StartAsync(created, Finding, TestContext.Current.CancellationToken);

        var options = ((FailingClient)(object)client).Args.Single().OfType<WorkflowOptions>().Single();
        Assert.Equal(WorkflowIdReusePolicy.RejectDuplicate, options.IdReusePolicy);
    }

    [Theory]
    [InlineData(RpcException.StatusCode.Unavailable)]
    [InlineData(RpcException.StatusCode.DeadlineExceeded)]
    [InlineData(RpcException.StatusCode.ResourceExhausted)]
    public async Task A_temporal_that_does_not_answer_is_a_dependency_outage_not_the_messages_fault(RpcException.StatusCode code)
    {
        var client = DispatchProxy.Create<ITemporalClient, FailingClient>();
        ((FailingClient)(object)client).Failure = new RpcException(code, "frontend down", null);

        var outage = await Assert.ThrowsAsync<DependencyUnavailableException>(() =>
            new TemporalOrderWorkflows(client, "go1-orders", TimeSpan.FromHours(4)).StartAsync(Created(), Finding, TestContext.Current.CancellationToken));

        Assert.Equal("Temporal", outage.Dependency);
    }

    [Fact]
    public async Task A_start_the_server_refuses_for_another_reason_propagates_as_it_is()
    {
        var client = DispatchProxy.Create<ITemporalClient, FailingClient>();
        ((FailingClient)(object)client).Failure = new RpcException(RpcException.StatusCode.InvalidArgument, "bad input", null);

        await Assert.ThrowsAsync<RpcException>(() => new TemporalOrderWorkflows(client, "go1-orders", TimeSpan.FromHours(4)).StartAsync(Created(), Finding, TestContext.Current.CancellationToken));
    }

    /// <summary>A client that hands every call to <see cref="Outbound"/>, as the SDK does with its interceptors.</summary>
    public class SignalClient : DispatchProxy
    {
        public ClientOutboundInterceptor Outbound { get; set; } = null!;

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => targetMethod!.Name switch
        {
            "get_OutboundInterceptor" => Outbound,
            nameof(ITemporalClient.GetWorkflowHandle) => targetMethod.IsGenericMethod
                ? Activator.CreateInstance(typeof(WorkflowHandle<>).MakeGenericType(targetMethod.GetGenericArguments()), this, args![0], null, null, null)
                : new WorkflowHandle((ITemporalClient)(object)this, (string)args![0]!),
            _ => throw new NotSupportedException(targetMethod.Name),
        };
    }

    private sealed class ScriptedOutbound(RpcException.StatusCode? signalError, WorkflowExecutionStatus? status) : ClientOutboundInterceptor(null!)
    {
        public List<SignalWorkflowInput> Signals { get; } = [];

        public override Task SignalWorkflowAsync(SignalWorkflowInput input)
        {
            Signals.Add(input);
            return signalError is { } code ? throw new RpcException(code, "signal refused", null) : Task.CompletedTask;
        }

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
    public async Task A_signal_to_a_workflow_that_does_not_exist_yet_says_so_so_the_message_is_retried()
    {
        var orderId = Guid.CreateVersion7();

        var error = await Assert.ThrowsAsync<WorkflowNotStartedException>(() =>
            Workflows(RpcException.StatusCode.NotFound, status: null).OrderCanceledAsync(orderId, TestContext.Current.CancellationToken));

        Assert.Equal(orderId, error.OrderId);
    }

    [Fact]
    public async Task A_signal_while_temporal_does_not_answer_is_a_dependency_outage()
    {
        await Assert.ThrowsAsync<DependencyUnavailableException>(() =>
            Workflows(RpcException.StatusCode.Unavailable, WorkflowExecutionStatus.Running).OrderDispatchedAsync(Guid.CreateVersion7(), new("drv", null, null), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Signals_carry_the_names_recorded_histories_know_and_the_driver()
    {
        var outbound = new ScriptedOutbound(signalError: null, WorkflowExecutionStatus.Running);
        var client = DispatchProxy.Create<ITemporalClient, SignalClient>();
        ((SignalClient)(object)client).Outbound = outbound;
        var workflows = new TemporalOrderWorkflows(client, "go1-orders", TimeSpan.FromHours(4));
        var orderId = Guid.CreateVersion7();
        var ct = TestContext.Current.CancellationToken;

        await workflows.OrderDispatchedAsync(orderId, new("drv", "Driver", null), ct);
        await workflows.OrderDeliveredAsync(orderId, ct);
        await workflows.OrderCanceledAsync(orderId, ct);

        Assert.Equal(["OrderDispatched", "OrderDelivered", "OrderCanceled"], outbound.Signals.Select(s => s.Signal));
        Assert.All(outbound.Signals, s => Assert.Equal($"order-{orderId}", s.Id));
        Assert.Equal(new Party("drv", "Driver", null), Assert.IsType<Party>(Assert.Single(outbound.Signals[0].Args)));
        Assert.Empty(outbound.Signals[1].Args);
    }

    [Fact]
    public async Task A_start_names_the_workflow_type_recorded_histories_know()
    {
        var client = DispatchProxy.Create<ITemporalClient, FailingClient>();
        var created = Created();
        ((FailingClient)(object)client).Failure = new WorkflowAlreadyStartedException("Already started", created.WorkflowId, "OrderWorkflow", "run-1");

        await new TemporalOrderWorkflows(client, "go1-orders", TimeSpan.FromHours(4)).StartAsync(created, Finding, TestContext.Current.CancellationToken);

        var call = Assert.IsAssignableFrom<System.Linq.Expressions.LambdaExpression>(((FailingClient)(object)client).Args.Single()[0]);
        Assert.Equal("OrderWorkflow", Temporalio.Workflows.WorkflowDefinition.Create(call.Parameters.Single().Type).Name);
    }
}
