using System.Reflection;
using Go1.Orders.Application.Events;
using Go1.Orders.Infrastructure.Workflows;
using Temporalio.Client;
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
}
