using Temporalio.Activities;
using Temporalio.Workflows;

namespace Go1.Tests.Saga;

/// <summary>What the SDK checks when a worker registers the saga, checked without a server: the names others use to reach it.</summary>
public sealed class OrderWorkflowDefinitionTests
{
    [Fact]
    public void The_workflow_registers_under_the_contract_names()
    {
        var definition = WorkflowDefinition.Create<OrderWorkflow>();

        Assert.Equal(OrderWorkflowContract.WorkflowType, definition.Name);
        Assert.Equal(
            new[] { OrderWorkflowContract.OrderCanceledSignal, OrderWorkflowContract.OrderDeliveredSignal, OrderWorkflowContract.OrderDispatchedSignal },
            definition.Signals.Keys.OfType<string>().Order());
        Assert.Contains(OrderWorkflow.StateQuery, definition.Queries.Keys);
    }

    [Fact]
    public void Every_saga_step_is_an_activity()
    {
        var names = ActivityDefinition.CreateAll(new OrderActivities(null!)).Select(a => a.Name).Order();

        Assert.Equal(
            ["AssignDriver", "AuthorizePayment", "Cancel", "CapturePayment", "Complete", "ConfirmPayment", "ReleasePayment", "StartFinding"],
            names);
    }
}
