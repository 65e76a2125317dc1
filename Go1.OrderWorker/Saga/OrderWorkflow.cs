using Go1.Orders.Application;
using Go1.Orders.Application.Saga;
using Go1.Orders.Domain;
using Microsoft.Extensions.Logging;
using Temporalio.Common;
using Temporalio.Exceptions;
using Temporalio.Workflows;

namespace Go1.OrderWorker.Saga;

/// <summary>
/// The order saga, workflow id <c>order-{id}</c>: authorize the payment (prepaid methods) → FINDING → wait for a
/// driver (up to the service's auto-cancel interval) → ASSIGNED → wait for the ride to end (up to the maximum
/// ride duration) → capture the payment → COMPLETED. A cancel, a timeout or a failed step runs the registered
/// compensations newest first (releasing the payment) and ends CANCELLED with a sub-status saying why.
/// Deterministic: all I/O happens in <see cref="OrderActivities"/>.
/// </summary>
[Workflow(OrderWorkflowContract.WorkflowType)]
public sealed class OrderWorkflow
{
    public const string StateQuery = "GetState";

    private static readonly ActivityOptions Step = new()
    {
        StartToCloseTimeout = TimeSpan.FromSeconds(30),
        RetryPolicy = new RetryPolicy
        {
            InitialInterval = TimeSpan.FromSeconds(1),
            BackoffCoefficient = 2,
            MaximumInterval = TimeSpan.FromMinutes(1),
            MaximumAttempts = 10,
            NonRetryableErrorTypes = [ErrorCodes.IllegalTransition, ErrorCodes.IllegalPaymentTransition, ErrorCodes.PaymentDeclined, ErrorCodes.OrderNotFound],
        },
    };

    private readonly Compensations _compensations = new();
    private ActivityOptions _step = Step;
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
        try
        {
            if (order.PaymentType == WireNames.Of(PaymentType.Prepaid))
            {
                _compensations.Add("ReleasePayment", async () => _payment = await ExecuteAsync(a => a.ReleasePaymentAsync(id)));
                _payment = await ExecuteAsync(a => a.AuthorizePaymentAsync(id));
                _status = await ExecuteAsync(a => a.ConfirmPaymentAsync(id));
            }

            if (order.IsSchedule && order.OrderTime > Workflow.UtcNow && await Workflow.WaitConditionAsync(() => _canceled, order.OrderTime - Workflow.UtcNow))
            {
                return await CancelAsync(id, CancelReasons.CustomerCanceled);
            }

            _status = await ExecuteAsync(a => a.StartFindingAsync(id));
            var decided = await Workflow.WaitConditionAsync(() => _driver is not null || _canceled, TimeSpan.FromSeconds(order.AutoCancelInterval));
            if (!decided || _driver is not { } driver)
            {
                return await CancelAsync(id, decided ? CancelReasons.CustomerCanceled : CancelReasons.NoDriverFound);
            }

            _status = await ExecuteAsync(a => a.AssignDriverAsync(id, driver));
            var ended = await Workflow.WaitConditionAsync(() => _delivered || _canceled, input.MaxRideDuration);
            if (!ended || !_delivered)
            {
                return await CancelAsync(id, ended ? CancelReasons.CustomerCanceled : CancelReasons.RideTimedOut);
            }

            _payment = await ExecuteAsync(a => a.CapturePaymentAsync(id)) ?? _payment;
            _status = await ExecuteAsync(a => a.CompleteAsync(id));
            return GetState();
        }
        catch (ActivityFailureException failure) when (failure.InnerException is ApplicationFailureException { ErrorType: ErrorCodes.PaymentDeclined })
        {
            return await CancelAsync(id, CancelReasons.PaymentDeclined);
        }
        catch (ActivityFailureException failure) when (!TemporalException.IsCanceledException(failure))
        {
            Workflow.Logger.LogError(failure, "Order {OrderId}: a saga step failed for good; compensating.", id);
            return await CancelAsync(id, CancelReasons.SagaFailed);
        }
        catch (Exception canceled) when (TemporalException.IsCanceledException(canceled))
        {
            // Cancelled through Temporal itself (UI, CLI, an operator): the money must still be released, so the
            // compensations and the final status run in a scope of their own that this cancellation does not reach.
            using var cleanup = new CancellationTokenSource();
            _step = (ActivityOptions)Step.Clone();
            _step.CancellationToken = cleanup.Token;
            return await CancelAsync(id, CancelReasons.WorkflowCanceled);
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

    private async Task<OrderWorkflowState> CancelAsync(Guid orderId, string reason)
    {
        _subStatus = reason;
        foreach (var (name, error) in await _compensations.RunAsync())
        {
            Workflow.Logger.LogError(error, "Order {OrderId}: compensation {Compensation} failed.", orderId, name);
        }

        _status = await ExecuteAsync(a => a.CancelAsync(orderId, reason));
        return GetState();
    }

    private Task<T> ExecuteAsync<T>(System.Linq.Expressions.Expression<Func<OrderActivities, Task<T>>> activity) =>
        Workflow.ExecuteActivityAsync(activity, _step);
}
