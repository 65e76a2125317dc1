using Temporalio.Common;
using Temporalio.Exceptions;
using Temporalio.Workflows;

namespace Go1.OrderWorker.Saga;

/// <summary>
/// The order saga, workflow id <c>order-{id}</c>: authorize the payment (prepaid methods) → FINDING → wait for a
/// driver (up to the service's auto-cancel interval) → ASSIGNED → wait for the ride to end (up to the maximum
/// ride duration) → capture the payment → COMPLETED. A cancel, a timeout or a failed step runs the registered
/// compensations newest first (releasing the payment) and ends CANCELLED with a sub-status saying why.
/// Delivery is the pivot: from there on, and in every compensation, steps retry until they succeed and no
/// cancellation reaches them, so money is never left held nor a delivered ride given away by an outage.
/// Deterministic: all I/O happens in <see cref="OrderActivities"/>.
/// </summary>
[Workflow(OrderWorkflowContract.WorkflowType)]
public sealed partial class OrderWorkflow
{
    public const string StateQuery = "GetState";

    /// <summary>
    /// Marks runs with today's compensation rules: a cancel waits for the running step to finish, cleanup runs out of
    /// a cancellation's reach, and a declined payment runs no release. Runs recorded before it replay, and go on,
    /// with the rules they were recorded with (see the README's saga section on changing the workflow).
    /// </summary>
    public const string SagaRulesPatch = "saga-rules-2";

    private const string ReleasePayment = "ReleasePayment";
    private const string Captured = "CAPTURED";

    private static readonly string[] RuleViolations =
        [ErrorCodes.IllegalTransition, ErrorCodes.IllegalPaymentTransition, ErrorCodes.PaymentDeclined, ErrorCodes.OrderNotFound];

    /// <summary>Steps before the pivot: a step that keeps failing gives up, and the saga compensates.</summary>
    private static readonly ActivityOptions Forward = Retrying(maximumAttempts: 10);

    /// <summary>Capture after delivery, compensations and the final status: retried without limit (0), only a rule violation stops them.</summary>
    private static readonly ActivityOptions UntilDone = Retrying(maximumAttempts: 0);

    private readonly Compensations _compensations = new();
    private ActivityOptions _forward = Forward;
    private ActivityOptions _untilDone = UntilDone;
    private bool _sagaRules2;
    private Party? _driver;
    private bool _delivered;
    private bool _canceled;
    private string _status = "STARTED";
    private string? _subStatus;
    private string? _payment;

    [WorkflowRun]
    public async Task<OrderWorkflowState> RunAsync(OrderWorkflowInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var order = input.Order;
        var id = order.OrderId;
        if (input.Progress is { } progress && progress.IsFinal())
        {
            // A redelivered OrderCreated, a reconciler, an operator: the order's story is over; touch nothing.
            _status = progress.Status;
            return GetState();
        }

        // Never cancelled: what it guards runs to the end whatever cancellation arrives.
        using var detached = new CancellationTokenSource();
        _sagaRules2 = Workflow.Patched(SagaRulesPatch);
        if (_sagaRules2)
        {
            _forward = With(Forward, ActivityCancellationType.WaitCancellationCompleted, cancellationToken: null);
            _untilDone = With(UntilDone, ActivityCancellationType.WaitCancellationCompleted, detached.Token);
        }

        // A dispatch signalled with the start has already been taken by its handler: keep it.
        var resumedAssigned = input.Progress is { Status: "ASSIGNED", Driver: not null };
        _driver ??= input.Progress?.Driver;
        try
        {
            if (order.PaymentType == WireNames.Of(PaymentType.Prepaid))
            {
                _compensations.Add(ReleasePayment, async () => _payment = await Workflow.ExecuteActivityAsync((OrderActivities a) => a.ReleasePaymentAsync(id), _untilDone));
                _payment = await Workflow.ExecuteActivityAsync((OrderActivities a) => a.AuthorizePaymentAsync(id), _forward);
                if (_sagaRules2 && _payment == Captured)
                {
                    // Captured already: this run replaces one Temporal lost after the delivery. Finish the ride.
                    return await FinishRideAsync(id);
                }

                _status = await Workflow.ExecuteActivityAsync((OrderActivities a) => a.ConfirmPaymentAsync(id), _forward);
            }

            if (order.IsSchedule && order.OrderTime > Workflow.UtcNow && await Workflow.WaitConditionAsync(() => _canceled, order.OrderTime - Workflow.UtcNow))
            {
                return await CancelAsync(id, CancelReasons.CustomerCanceled, detached.Token);
            }

            if (!resumedAssigned)
            {
                _status = await Workflow.ExecuteActivityAsync((OrderActivities a) => a.StartFindingAsync(id), _forward);
                var decided = await Workflow.WaitConditionAsync(() => _driver is not null || _canceled, TimeSpan.FromSeconds(order.AutoCancelInterval));
                if (!decided || _driver is null)
                {
                    return await CancelAsync(id, decided ? CancelReasons.CustomerCanceled : CancelReasons.NoDriverFound, detached.Token);
                }
            }

            var driver = _driver!;
            _status = await Workflow.ExecuteActivityAsync((OrderActivities a) => a.AssignDriverAsync(id, driver), _forward);
            var ended = await Workflow.WaitConditionAsync(() => _delivered || _canceled, input.MaxRideDuration);
            if (!ended || !_delivered)
            {
                return await CancelAsync(id, ended ? CancelReasons.CustomerCanceled : CancelReasons.RideTimedOut, detached.Token);
            }

            return await FinishRideAsync(id);
        }
        catch (ActivityFailureException failure) when (failure.InnerException is ApplicationFailureException { ErrorType: ErrorCodes.PaymentDeclined })
        {
            if (_sagaRules2)
            {
                _compensations.Forget(ReleasePayment); // the provider said no: nothing is held
            }

            return await CancelAsync(id, CancelReasons.PaymentDeclined, detached.Token);
        }
        catch (ActivityFailureException failure) when (!TemporalException.IsCanceledException(failure))
        {
            LogStepFailed(Workflow.Logger, id, failure);
            return await CancelAsync(id, CancelReasons.SagaFailed, detached.Token);
        }
        catch (Exception canceled) when (TemporalException.IsCanceledException(canceled))
        {
            // Cancelled through Temporal itself (UI, CLI, an operator): the money must still be released, unless the
            // ride was delivered already (a cancel can win the same task as the delivery): then it is finished.
            return _sagaRules2 && _delivered ? await FinishRideAsync(id) : await CancelAsync(id, CancelReasons.WorkflowCanceled, detached.Token);
        }
    }

    /// <summary>The first driver wins; a repeated or late dispatch changes nothing.</summary>
    [WorkflowSignal(OrderWorkflowContract.OrderDispatchedSignal)]
    public Task OrderDispatchedAsync(Party driver)
    {
        if (_driver is null && !_canceled)
        {
            _driver = driver;
        }

        return Task.CompletedTask;
    }

    /// <summary>Ends the ride; ignored once the order was cancelled.</summary>
    [WorkflowSignal(OrderWorkflowContract.OrderDeliveredSignal)]
    public Task OrderDeliveredAsync()
    {
        _delivered |= !_canceled;
        return Task.CompletedTask;
    }

    /// <summary>Cancels the order; ignored once the ride was delivered.</summary>
    [WorkflowSignal(OrderWorkflowContract.OrderCanceledSignal)]
    public Task OrderCanceledAsync()
    {
        _canceled |= !_delivered;
        return Task.CompletedTask;
    }

    [WorkflowQuery(StateQuery)]
    public OrderWorkflowState GetState() => new(_status, _subStatus, _driver, _payment, _compensations.Pending);

    /// <summary>
    /// The pivot: the ride happened. Nothing compensates it any more, and an outage only delays the capture. A rule that
    /// refuses the capture or the completion fails the run for an operator: a delivered ride is never cancelled or
    /// refunded by the saga. (Runs recorded before saga-rules-2 compensate as they did.)
    /// </summary>
    private async Task<OrderWorkflowState> FinishRideAsync(Guid id)
    {
        try
        {
            _payment = await Workflow.ExecuteActivityAsync((OrderActivities a) => a.CapturePaymentAsync(id), _untilDone) ?? _payment;
            _status = await Workflow.ExecuteActivityAsync((OrderActivities a) => a.CompleteAsync(id), _untilDone);
            _compensations.Forget(ReleasePayment);
            return GetState();
        }
        catch (ActivityFailureException failure) when (_sagaRules2 && !TemporalException.IsCanceledException(failure))
        {
            throw new ApplicationFailureException(
                $"Order {id} was delivered ({_payment ?? "paid in cash"}) but could not be completed: {failure.InnerException?.Message}. An operator must finish it.",
                failure, errorType: "RIDE_NOT_COMPLETED", nonRetryable: true);
        }
    }

    /// <summary>30 s an attempt, a heartbeat every few seconds, attempts 1 s apart doubling to 1 min.</summary>
    private static ActivityOptions Retrying(int maximumAttempts) => new()
    {
        StartToCloseTimeout = TimeSpan.FromSeconds(30),
        HeartbeatTimeout = TimeSpan.FromSeconds(10),
        RetryPolicy = new RetryPolicy
        {
            InitialInterval = TimeSpan.FromSeconds(1),
            BackoffCoefficient = 2,
            MaximumInterval = TimeSpan.FromMinutes(1),
            MaximumAttempts = maximumAttempts,
            NonRetryableErrorTypes = RuleViolations,
        },
    };

    private static ActivityOptions With(ActivityOptions options, ActivityCancellationType cancellationType, CancellationToken? cancellationToken)
    {
        var copy = (ActivityOptions)options.Clone();
        copy.CancellationType = cancellationType;
        copy.CancellationToken = cancellationToken;
        return copy;
    }

    /// <summary>
    /// Runs the compensations newest first, then stores CANCELLED with <paramref name="reason"/>, all under
    /// <paramref name="detached"/> so that no cancellation cuts them short. A compensation that failed for good stays
    /// pending and fails the run, so that it is seen, instead of ending as if the money had been released.
    /// </summary>
    private async Task<OrderWorkflowState> CancelAsync(Guid orderId, string reason, CancellationToken detached)
    {
        _subStatus = reason;
        if (!_sagaRules2 && reason == CancelReasons.WorkflowCanceled)
        {
            // A run recorded before saga-rules-2: only a Temporal cancel detached its cleanup.
            _untilDone = With(UntilDone, ActivityCancellationType.TryCancel, detached);
        }

        var failed = await _compensations.RunAsync();
        foreach (var (name, error) in failed)
        {
            LogCompensationFailed(Workflow.Logger, orderId, name, error);
        }

        if (!_sagaRules2)
        {
            // Before saga-rules-2 a failed compensation was logged and forgotten; runs recorded then go on that way.
            _compensations.Clear();
            failed = [];
        }

        _status = await Workflow.ExecuteActivityAsync((OrderActivities a) => a.CancelAsync(orderId, reason), _untilDone);
        return failed.Count == 0
            ? GetState()
            : throw new ApplicationFailureException(
                $"Order {orderId} is cancelled but {string.Join(", ", failed.Select(f => f.Name))} did not complete: an operator must release what it holds.",
                errorType: "COMPENSATION_FAILED", nonRetryable: true);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Order {OrderId}: a saga step failed for good; compensating.")]
    private static partial void LogStepFailed(ILogger logger, Guid orderId, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Order {OrderId}: compensation {Compensation} failed for good.")]
    private static partial void LogCompensationFailed(ILogger logger, Guid orderId, string compensation, Exception exception);
}
