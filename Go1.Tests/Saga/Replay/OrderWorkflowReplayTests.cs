using Temporalio.Exceptions;
using Temporalio.Workflows;

namespace Go1.Tests.Saga.Replay;

/// <summary>
/// The saga's rules as histories: each test writes down, event by event, what a Temporal server records when the
/// saga does what its rules say in one scenario, and replays the real <see cref="OrderWorkflow"/> against it with
/// no server. A workflow that schedules another activity, skips or reorders a compensation, starts or skips a
/// wait, or ends early fails the replay; what it returned and how it scheduled each step are checked besides.
/// </summary>
public sealed class OrderWorkflowReplayTests
{
    private const string Dispatched = OrderWorkflowContract.OrderDispatchedSignal;
    private const string Delivered = OrderWorkflowContract.OrderDeliveredSignal;
    private const string Canceled = OrderWorkflowContract.OrderCanceledSignal;
    private static readonly TimeSpan AutoCancel = TimeSpan.FromSeconds(300);
    private static readonly TimeSpan MaxRide = TimeSpan.FromHours(4);
    private static readonly Party Lan = new("drv-1", "+84900000001", "Lan");
    private static readonly Party Minh = new("drv-2", "+84900000002", "Minh");

    /// <summary>A saga started for a new order (or from <paramref name="progress"/>) by today's code: its first task records the patch.</summary>
    private static (HistoryBuilder History, RideOrder Order) Started(string paymentMethod, OrderProgress? progress = null, bool scheduled = false)
    {
        var order = TestOrders.New(paymentMethod, scheduled: scheduled);
        var input = new OrderWorkflowInput(OrderCreated.For(order, Guid.CreateVersion7()), MaxRide, progress ?? OrderProgress.Of(order));
        return (new HistoryBuilder(OrderWorkflowContract.WorkflowType, input, order.CreatedAt).PatchMarker(OrderWorkflow.SagaRulesPatch), order);
    }

    private static async Task<SagaReplayer.Run> ReplayAsync(HistoryBuilder history, RideOrder order)
    {
        var run = await SagaReplayer.ReplayAsync(history.Build(order.WorkflowId));
        Assert.True(run.Failure is null, $"the run failed: {run.Failure}");
        return run;
    }

    /// <summary>Replays a saga <paramref name="started"/> that records <paramref name="events"/> and then completes.</summary>
    private static Task<SagaReplayer.Run> ReplayAsync((HistoryBuilder History, RideOrder Order) started, Func<HistoryBuilder, HistoryBuilder> events) =>
        ReplayAsync(events(started.History).WorkflowCompleted(null), started.Order);

    /// <summary>Authorize → FINDING, looking for a driver.</summary>
    private static HistoryBuilder UpToFinding(HistoryBuilder h) => h
        .Runs("AuthorizePayment", "AUTHORIZED")
        .Runs("ConfirmPayment", "FINDING")
        .Runs("StartFinding", "FINDING");

    /// <summary>Authorize → FINDING → a driver within the auto-cancel interval → ASSIGNED.</summary>
    private static HistoryBuilder UpToAssigned(HistoryBuilder h) => UpToFinding(h)
        .TimerStarted(AutoCancel).Signaled(Dispatched, Lan).WorkflowTask().TimerCanceled()
        .Runs("AssignDriver", "ASSIGNED")
        .TimerStarted(MaxRide);

    /// <summary>The compensations of a saga that ends before a driver is assigned: the payment hold is released, then the order cancelled.</summary>
    private static HistoryBuilder ReleaseThenCancel(HistoryBuilder h) => h
        .Runs("ReleasePayment", "VOIDED")
        .Runs("Cancel", "CANCELLED");

    private static void AssertReleasedAndCancelled(SagaReplayer.Run run, string reason)
    {
        Assert.Equal(("CANCELLED", reason, "VOIDED"), (run.Result!.Status, run.Result.SubStatus, run.Result.Payment));
        AssertRetriesUntilDone(run, "ReleasePayment");
        AssertRetriesUntilDone(run, "Cancel");
    }

    private static void AssertRetriesUntilDone(SagaReplayer.Run run, string activity)
    {
        var options = run.OptionsOf(activity);
        Assert.True(options.RetryPolicy?.MaximumAttempts == 0, $"{activity} gives up after {options.RetryPolicy?.MaximumAttempts} attempts");
        Assert.NotNull(options.RetryPolicy!.MaximumInterval);
        // Without a token of its own, an activity is cancelled with the workflow.
        Assert.True(options.CancellationToken is { IsCancellationRequested: false }, $"{activity} can be cancelled with the workflow");
    }

    [Fact]
    public async Task Card_happy_path_authorizes_assigns_captures_and_completes()
    {
        var run = await ReplayAsync(Started("card"), h => UpToAssigned(h).Signaled(Delivered).WorkflowTask().TimerCanceled()
            .Runs("CapturePayment", "CAPTURED")
            .Runs("Complete", "COMPLETED"));

        Assert.Equal(("COMPLETED", (string?)null, "drv-1", "CAPTURED"), (run.Result!.Status, run.Result.SubStatus, run.Result.Driver?.Id, run.Result.Payment));
        Assert.Empty(run.Result.PendingCompensations);
        Assert.Equal(ActivityCancellationType.WaitCancellationCompleted, run.OptionsOf("AuthorizePayment").CancellationType);
        Assert.Equal(10, run.OptionsOf("AuthorizePayment").RetryPolicy?.MaximumAttempts);
        Assert.NotNull(run.OptionsOf("AuthorizePayment").HeartbeatTimeout);
        Assert.Contains(ErrorCodes.PaymentDeclined, run.OptionsOf("AuthorizePayment").RetryPolicy!.NonRetryableErrorTypes!);
    }

    [Fact]
    public async Task Cash_happy_path_has_no_payment_step_but_the_capture_check()
    {
        var run = await ReplayAsync(Started("cash"), h => h.Runs("StartFinding", "FINDING")
            .TimerStarted(AutoCancel).Signaled(Dispatched, Lan).WorkflowTask().TimerCanceled()
            .Runs("AssignDriver", "ASSIGNED")
            .TimerStarted(MaxRide).Signaled(Delivered).WorkflowTask().TimerCanceled()
            .Runs("CapturePayment", null)
            .Runs("Complete", "COMPLETED"));

        Assert.Equal(("COMPLETED", "drv-1", (string?)null), (run.Result!.Status, run.Result.Driver?.Id, run.Result.Payment));
    }

    [Fact]
    public async Task Cancel_before_dispatch_releases_the_payment_then_cancels()
    {
        var run = await ReplayAsync(Started("wallet"), h => UpToFinding(h)
            .TimerStarted(AutoCancel).Signaled(Canceled).WorkflowTask().TimerCanceled()
            .Then(ReleaseThenCancel));

        AssertReleasedAndCancelled(run, CancelReasons.CustomerCanceled);
    }

    [Fact]
    public async Task No_driver_within_the_auto_cancel_interval_releases_and_cancels_with_no_driver_found()
    {
        var run = await ReplayAsync(Started("card"), h => UpToFinding(h)
            .TimerStarted(AutoCancel).After(AutoCancel).TimerFired().WorkflowTask()
            .Then(ReleaseThenCancel));

        AssertReleasedAndCancelled(run, CancelReasons.NoDriverFound);
    }

    [Fact]
    public async Task A_declined_payment_cancels_with_no_capture_and_no_release_of_nothing()
    {
        var run = await ReplayAsync(Started("card"), h => h.ActivityScheduled("AuthorizePayment").ActivityFailed("AuthorizePayment", ErrorCodes.PaymentDeclined).WorkflowTask()
            .Runs("Cancel", "CANCELLED"));

        Assert.Equal(("CANCELLED", CancelReasons.PaymentDeclined, (string?)null), (run.Result!.Status, run.Result.SubStatus, run.Result.Payment));
        Assert.Empty(run.Result.PendingCompensations);
    }

    [Fact]
    public async Task Cancel_after_assignment_releases_the_payment_and_a_delivery_that_comes_late_changes_nothing()
    {
        var run = await ReplayAsync(Started("card"), h => UpToAssigned(h).Signaled(Canceled).WorkflowTask().TimerCanceled()
            .ActivityScheduled("ReleasePayment")
            .Signaled(Delivered).WorkflowTask()
            .ActivityCompleted("ReleasePayment", "VOIDED").WorkflowTask()
            .Runs("Cancel", "CANCELLED"));

        Assert.Equal(("CANCELLED", CancelReasons.CustomerCanceled, "VOIDED", "drv-1"), (run.Result!.Status, run.Result.SubStatus, run.Result.Payment, run.Result.Driver?.Id));
    }

    [Fact]
    public async Task Duplicate_and_late_signals_change_nothing_the_first_driver_and_the_delivery_win()
    {
        var run = await ReplayAsync(Started("cash"), h => h.Runs("StartFinding", "FINDING")
            .TimerStarted(AutoCancel).Signaled(Dispatched, Lan).Signaled(Dispatched, Minh).WorkflowTask().TimerCanceled()
            .ActivityScheduled("AssignDriver").Signaled(Dispatched, Minh).WorkflowTask()
            .ActivityCompleted("AssignDriver", "ASSIGNED").WorkflowTask()
            .TimerStarted(MaxRide).Signaled(Delivered).Signaled(Delivered).Signaled(Canceled).WorkflowTask().TimerCanceled()
            .Runs("CapturePayment", null)
            .Runs("Complete", "COMPLETED"));

        Assert.Equal(("COMPLETED", (string?)null, "drv-1"), (run.Result!.Status, run.Result.SubStatus, run.Result.Driver?.Id));
    }

    [Fact]
    public async Task A_delivery_that_overtakes_its_dispatch_still_completes_the_ride()
    {
        // Dispatch and shipment events travel on two topics: the Go system's flow can deliver before it dispatches.
        var run = await ReplayAsync(Started("cash"), h => h.Runs("StartFinding", "FINDING")
            .TimerStarted(AutoCancel).Signaled(Delivered).WorkflowTask()
            .Signaled(Dispatched, Lan).WorkflowTask().TimerCanceled()
            .Runs("AssignDriver", "ASSIGNED")
            .Runs("CapturePayment", null)
            .Runs("Complete", "COMPLETED"));

        Assert.Equal(("COMPLETED", "drv-1"), (run.Result!.Status, run.Result.Driver?.Id));
    }

    [Fact]
    public async Task A_temporal_cancel_during_authorize_releases_only_once_authorize_has_resolved()
    {
        // The cancel reaches the running authorization, which completes anyway (the hold is placed): only then may the
        // release run, or it would find nothing to release and the hold would stay.
        var run = await ReplayAsync(Started("card"), h => h.ActivityScheduled("AuthorizePayment")
            .CancelRequested().WorkflowTask().ActivityCancelRequested("AuthorizePayment")
            .ActivityCompleted("AuthorizePayment", "AUTHORIZED").WorkflowTask()
            .Then(ReleaseThenCancel));

        AssertReleasedAndCancelled(run, CancelReasons.WorkflowCanceled);
        // The replayer matches a task's commands against the command events that follow, even past the authorization's
        // result, so it cannot tell in which task the release was scheduled: the wait is checked where it is decided.
        Assert.Equal(ActivityCancellationType.WaitCancellationCompleted, run.OptionsOf("AuthorizePayment").CancellationType);
    }

    [Fact]
    public async Task A_temporal_cancel_that_stops_authorize_still_runs_the_release()
    {
        var run = await ReplayAsync(Started("card"), h => h.ActivityScheduled("AuthorizePayment")
            .CancelRequested().WorkflowTask().ActivityCancelRequested("AuthorizePayment")
            .ActivityCanceled("AuthorizePayment").WorkflowTask()
            .Runs("ReleasePayment", null)
            .Runs("Cancel", "CANCELLED"));

        Assert.Equal(("CANCELLED", CancelReasons.WorkflowCanceled), (run.Result!.Status, run.Result.SubStatus));
    }

    [Fact]
    public async Task A_temporal_cancel_while_waiting_for_a_driver_releases_the_payment()
    {
        var run = await ReplayAsync(Started("card"), h => UpToFinding(h)
            .TimerStarted(AutoCancel).CancelRequested().WorkflowTask().TimerCanceled()
            .Then(ReleaseThenCancel));

        AssertReleasedAndCancelled(run, CancelReasons.WorkflowCanceled);
    }

    [Fact]
    public async Task A_cancel_that_arrives_while_compensations_run_still_releases()
    {
        // The customer cancels; while the release runs, an operator also cancels the workflow. The release and the
        // final status must run to the end: no cancel request may reach them.
        var run = await ReplayAsync(Started("card"), h => UpToFinding(h)
            .TimerStarted(AutoCancel).Signaled(Canceled).WorkflowTask().TimerCanceled()
            .ActivityScheduled("ReleasePayment")
            .CancelRequested().WorkflowTask()
            .ActivityCompleted("ReleasePayment", "VOIDED").WorkflowTask()
            .Runs("Cancel", "CANCELLED"));

        AssertReleasedAndCancelled(run, CancelReasons.CustomerCanceled);
    }

    [Fact]
    public async Task Capture_failing_transiently_then_succeeding_completes_and_never_cancels()
    {
        // Delivered, then the database is down for a while: the capture is retried (its attempt 15 succeeds) and the
        // ride completes. Ten attempts and then a compensation would have turned a delivered ride into a free one.
        var run = await ReplayAsync(Started("card"), h => UpToAssigned(h).Signaled(Delivered).WorkflowTask().TimerCanceled()
            .Runs("CapturePayment", "CAPTURED", attempt: 15)
            .Runs("Complete", "COMPLETED", attempt: 3));

        Assert.Equal(("COMPLETED", "CAPTURED"), (run.Result!.Status, run.Result.Payment));
        AssertRetriesUntilDone(run, "CapturePayment");
        AssertRetriesUntilDone(run, "Complete");
    }

    [Fact]
    public async Task A_cancel_after_delivery_does_not_stop_the_capture()
    {
        var run = await ReplayAsync(Started("card"), h => UpToAssigned(h).Signaled(Delivered).WorkflowTask().TimerCanceled()
            .ActivityScheduled("CapturePayment")
            .CancelRequested().WorkflowTask()
            .ActivityCompleted("CapturePayment", "CAPTURED").WorkflowTask()
            .Runs("Complete", "COMPLETED"));

        Assert.Equal(("COMPLETED", "CAPTURED"), (run.Result!.Status, run.Result.Payment));
    }

    [Fact]
    public async Task A_compensation_failing_transiently_then_succeeding_releases_and_cancels()
    {
        var run = await ReplayAsync(Started("card"), h => UpToFinding(h)
            .TimerStarted(AutoCancel).After(AutoCancel).TimerFired().WorkflowTask()
            .Runs("ReleasePayment", "VOIDED", attempt: 40)
            .Runs("Cancel", "CANCELLED", attempt: 12));

        AssertReleasedAndCancelled(run, CancelReasons.NoDriverFound);
    }

    [Fact]
    public async Task A_compensation_refused_for_good_fails_the_run_visibly_instead_of_ending_as_released()
    {
        var (h, order) = Started("card");
        UpToFinding(h)
            .TimerStarted(AutoCancel).Signaled(Canceled).WorkflowTask().TimerCanceled()
            .ActivityScheduled("ReleasePayment").ActivityFailed("ReleasePayment", ErrorCodes.IllegalPaymentTransition).WorkflowTask()
            .Runs("Cancel", "CANCELLED")
            .WorkflowFailed("compensation failed");

        var run = await SagaReplayer.ReplayAsync(h.Build(order.WorkflowId));

        var failure = Assert.IsType<ApplicationFailureException>(run.Failure);
        Assert.Equal("COMPENSATION_FAILED", failure.ErrorType);
        Assert.Contains("ReleasePayment", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_scheduled_order_waits_for_its_time_before_it_looks_for_a_driver()
    {
        var (h, order) = Started("card", scheduled: true);
        h.Runs("AuthorizePayment", "AUTHORIZED")
            .Runs("ConfirmPayment", "SCHEDULING")
            .TimerStarted(order.OrderTime - h.Now).After(TimeSpan.FromHours(2)).TimerFired().WorkflowTask()
            .Runs("StartFinding", "FINDING")
            .TimerStarted(AutoCancel).Signaled(Dispatched, Lan).WorkflowTask().TimerCanceled()
            .Runs("AssignDriver", "ASSIGNED")
            .TimerStarted(MaxRide).Signaled(Delivered).WorkflowTask().TimerCanceled()
            .Runs("CapturePayment", "CAPTURED")
            .Runs("Complete", "COMPLETED")
            .WorkflowCompleted(null);

        var run = await ReplayAsync(h, order);

        Assert.Equal(("COMPLETED", "CAPTURED"), (run.Result!.Status, run.Result.Payment));
    }

    [Theory]
    [InlineData("COMPLETED")]
    [InlineData("CANCELLED")]
    public async Task A_saga_started_for_an_order_that_is_already_final_does_nothing(string status)
    {
        // A redelivered OrderCreated after Temporal lost the first run: the order is over, so nothing at all happens.
        var order = TestOrders.New("card");
        var input = new OrderWorkflowInput(OrderCreated.For(order, Guid.CreateVersion7()), MaxRide, new OrderProgress(status, null));
        var h = new HistoryBuilder(OrderWorkflowContract.WorkflowType, input, order.CreatedAt).WorkflowCompleted(null);

        var run = await ReplayAsync(h, order);

        Assert.Empty(run.Scheduled);
        Assert.Equal(status, run.Result!.Status);
    }

    [Fact]
    public async Task A_saga_restarted_for_an_assigned_order_resumes_with_its_driver_and_does_not_wait_for_another()
    {
        var run = await ReplayAsync(Started("card", new OrderProgress("ASSIGNED", Lan)), h => h.Runs("AuthorizePayment", "AUTHORIZED")
            .Runs("ConfirmPayment", "ASSIGNED")
            .Runs("AssignDriver", "ASSIGNED")
            .TimerStarted(MaxRide).Signaled(Delivered).WorkflowTask().TimerCanceled()
            .Runs("CapturePayment", "CAPTURED")
            .Runs("Complete", "COMPLETED"));

        Assert.Equal(("COMPLETED", "drv-1"), (run.Result!.Status, run.Result.Driver?.Id));
    }

    [Fact]
    public async Task A_run_recorded_before_saga_rules_2_replays_with_the_rules_it_was_recorded_with()
    {
        // Recorded by the code before the patch (no marker): a Temporal cancel during authorize released at once, in the
        // same task. A worker running today's code must still replay it, or every such run in flight would break.
        var order = TestOrders.New("card");
        var input = new OrderWorkflowInput(OrderCreated.For(order, Guid.CreateVersion7()), MaxRide);
        var h = new HistoryBuilder(OrderWorkflowContract.WorkflowType, input, order.CreatedAt)
            .ActivityScheduled("AuthorizePayment")
            .CancelRequested().WorkflowTask().ActivityCancelRequested("AuthorizePayment")
            .ActivityScheduled("ReleasePayment")
            .ActivityCanceled("AuthorizePayment").WorkflowTask()
            .ActivityCompleted("ReleasePayment", null).WorkflowTask()
            .Runs("Cancel", "CANCELLED")
            .WorkflowCompleted(null);

        var run = await ReplayAsync(h, order);

        Assert.Equal(("CANCELLED", CancelReasons.WorkflowCanceled), (run.Result!.Status, run.Result.SubStatus));
        Assert.Equal(ActivityCancellationType.TryCancel, run.OptionsOf("AuthorizePayment").CancellationType);
    }

    [Fact]
    public async Task A_dispatch_that_arrives_with_the_start_assigns_that_driver_at_once()
    {
        // A cash order is FINDING from the start; a dispatch held by an outage can reach the run in its very first task.
        var order = TestOrders.New("cash");
        var input = new OrderWorkflowInput(OrderCreated.For(order, Guid.CreateVersion7()), MaxRide, OrderProgress.Of(order));
        var h = new HistoryBuilder(OrderWorkflowContract.WorkflowType, input, order.CreatedAt, firstTask: false)
            .Signaled(Dispatched, Lan).WorkflowTask().PatchMarker(OrderWorkflow.SagaRulesPatch)
            .Runs("StartFinding", "FINDING")
            .Runs("AssignDriver", "ASSIGNED")
            .TimerStarted(MaxRide).Signaled(Delivered).WorkflowTask().TimerCanceled()
            .Runs("CapturePayment", null)
            .Runs("Complete", "COMPLETED")
            .WorkflowCompleted(null);

        var run = await ReplayAsync(h, order);

        Assert.Equal(("COMPLETED", "drv-1"), (run.Result!.Status, run.Result.Driver?.Id));
    }

    [Fact]
    public async Task A_ride_captured_but_not_completable_fails_visibly_and_is_never_refunded()
    {
        var (h, order) = Started("card");
        UpToAssigned(h).Signaled(Delivered).WorkflowTask().TimerCanceled()
            .Runs("CapturePayment", "CAPTURED")
            .ActivityScheduled("Complete").ActivityFailed("Complete", ErrorCodes.IllegalTransition).WorkflowTask()
            .WorkflowFailed("delivered but not completed");

        var run = await SagaReplayer.ReplayAsync(h.Build(order.WorkflowId));

        Assert.Equal("RIDE_NOT_COMPLETED", Assert.IsType<ApplicationFailureException>(run.Failure).ErrorType);
        Assert.DoesNotContain(run.Scheduled, s => s.Activity == "ReleasePayment");
    }

    [Fact]
    public async Task A_saga_restarted_after_the_capture_completes_the_ride_instead_of_waiting_for_a_delivery_that_went_to_the_lost_run()
    {
        var run = await ReplayAsync(Started("card", new OrderProgress("ASSIGNED", Lan)), h => h.Runs("AuthorizePayment", "CAPTURED")
            .Runs("CapturePayment", "CAPTURED")
            .Runs("Complete", "COMPLETED"));

        Assert.Equal(("COMPLETED", "CAPTURED"), (run.Result!.Status, run.Result.Payment));
    }

    [Fact]
    public async Task A_temporal_cancel_in_the_same_task_as_the_delivery_still_captures_and_completes()
    {
        var run = await ReplayAsync(Started("card"), h => UpToAssigned(h).Signaled(Delivered).CancelRequested().WorkflowTask().TimerCanceled()
            .Runs("CapturePayment", "CAPTURED")
            .Runs("Complete", "COMPLETED"));

        Assert.Equal(("COMPLETED", "CAPTURED"), (run.Result!.Status, run.Result.Payment));
    }

    [Fact]
    public async Task A_run_recorded_before_saga_rules_2_whose_release_failed_still_ends_as_it_did()
    {
        // Before the patch, a release that failed for good was logged and forgotten, and the run completed CANCELLED.
        var order = TestOrders.New("card");
        var input = new OrderWorkflowInput(OrderCreated.For(order, Guid.CreateVersion7()), MaxRide);
        var h = new HistoryBuilder(OrderWorkflowContract.WorkflowType, input, order.CreatedAt);
        UpToFinding(h)
            .TimerStarted(AutoCancel).Signaled(Canceled).WorkflowTask().TimerCanceled()
            .ActivityScheduled("ReleasePayment").ActivityFailed("ReleasePayment", ErrorCodes.IllegalPaymentTransition).WorkflowTask()
            .Runs("Cancel", "CANCELLED")
            .WorkflowCompleted(null);

        var run = await ReplayAsync(h, order);

        Assert.Equal(("CANCELLED", CancelReasons.CustomerCanceled), (run.Result!.Status, run.Result.SubStatus));
    }
}
