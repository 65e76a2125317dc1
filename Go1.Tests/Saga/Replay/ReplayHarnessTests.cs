using Temporalio.Exceptions;

namespace Go1.Tests.Saga.Replay;

/// <summary>The replay specifications are only worth something if a workflow that does otherwise fails them: proof that it does.</summary>
public sealed class ReplayHarnessTests
{
    private static readonly Party Driver = new("drv-1", "+84900000001", "Lan");

    /// <summary>A cash ride as the saga runs it, written with one deliberate difference.</summary>
    private static HistoryBuilder CashRide(string difference)
    {
        var order = TestOrders.New("cash");
        var input = new OrderWorkflowInput(OrderCreated.For(order, Guid.CreateVersion7()), TimeSpan.FromHours(4), OrderProgress.Of(order));
        var h = new HistoryBuilder(OrderWorkflowContract.WorkflowType, input, order.CreatedAt).PatchMarker("saga-rules-2");
        if (difference != "skips a step")
        {
            h.Runs("StartFinding", "FINDING");
        }

        h.TimerStarted(TimeSpan.FromMinutes(5)).Signaled(OrderWorkflowContract.OrderDispatchedSignal, Driver).WorkflowTask().TimerCanceled()
            .Runs("AssignDriver", "ASSIGNED")
            .TimerStarted(TimeSpan.FromHours(4)).Signaled(OrderWorkflowContract.OrderDeliveredSignal).WorkflowTask().TimerCanceled();
        if (difference == "ends early")
        {
            return h.WorkflowCompleted(null);
        }

        h.Runs(difference == "schedules another activity" ? "ReleasePayment" : "CapturePayment", null);
        if (difference != "leaves out the last step")
        {
            h.Runs("Complete", "COMPLETED");
        }

        return h.WorkflowCompleted(null);
    }

    [Fact]
    public async Task The_history_as_written_replays() =>
        Assert.Null((await SagaReplayer.ReplayAsync(CashRide("none").Build("order-harness"))).Failure);

    [Theory]
    [InlineData("schedules another activity")]
    [InlineData("skips a step")]
    [InlineData("ends early")]
    [InlineData("leaves out the last step")]
    public async Task A_history_that_differs_from_what_the_workflow_does_fails_the_replay(string difference)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => SagaReplayer.ReplayAsync(CashRide(difference).Build("order-harness")));

        Assert.True(error is WorkflowNondeterminismException or InvalidWorkflowOperationException, error.ToString());
    }
}
