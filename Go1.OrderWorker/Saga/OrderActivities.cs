using Temporalio.Activities;
using Temporalio.Exceptions;

namespace Go1.OrderWorker.Saga;

/// <summary>
/// The saga's activities: each is one idempotent step of <see cref="OrderSagaSteps"/>. A rule the domain
/// refuses (illegal transition, payment declined, unknown order) fails the activity for good, with the
/// domain's error code as the failure type; anything else (database down, ...) is retried by Temporal.
/// Every activity heartbeats while it runs: a heartbeat is how a cancellation reaches it, and the workflow
/// waits for a cancelled step to finish before it compensates. A step is short and moves money or state, so a
/// cancellation does not cut it off half done (a hold placed but not recorded would escape the release): it
/// finishes, and only the worker shutting down stops it.
/// </summary>
public sealed class OrderActivities(OrderSagaSteps steps)
{
    /// <summary>How often a step heartbeats when its heartbeat timeout is not known (the SDK throttles below the timeout).</summary>
    private static readonly TimeSpan DefaultHeartbeatInterval = TimeSpan.FromSeconds(2);

    [Activity]
    public Task<string> AuthorizePaymentAsync(Guid orderId) => RunAsync(ct => steps.AuthorizePaymentAsync(orderId, ct));

    [Activity]
    public Task<string> ConfirmPaymentAsync(Guid orderId) => RunAsync(ct => steps.ConfirmPaymentAsync(orderId, ct));

    [Activity]
    public Task<string> StartFindingAsync(Guid orderId) => RunAsync(ct => steps.StartFindingAsync(orderId, ct));

    [Activity]
    public Task<string> AssignDriverAsync(Guid orderId, Party driver) => RunAsync(ct => steps.AssignDriverAsync(orderId, driver, ct));

    [Activity]
    public Task<string> CompleteAsync(Guid orderId) => RunAsync(ct => steps.CompleteAsync(orderId, ct));

    [Activity]
    public Task<string> CancelAsync(Guid orderId, string reason) => RunAsync(ct => steps.CancelAsync(orderId, reason, ct));

    [Activity]
    public Task<string?> CapturePaymentAsync(Guid orderId) => RunAsync(ct => steps.CapturePaymentAsync(orderId, ct));

    [Activity]
    public Task<string?> ReleasePaymentAsync(Guid orderId) => RunAsync(ct => steps.ReleasePaymentAsync(orderId, ct));

    private static async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> step)
    {
        var context = ActivityExecutionContext.Current;
        using var done = new CancellationTokenSource(); // heartbeats go on until the step has finished, cancelled or not
        var heartbeats = HeartbeatAsync(context, done.Token);
        try
        {
            return await step(context.WorkerShutdownToken);
        }
        catch (DomainException ex)
        {
            throw new ApplicationFailureException(ex.Message, ex, errorType: ex.Code, nonRetryable: true);
        }
        finally
        {
            await done.CancelAsync();
            await heartbeats;
        }
    }

    private static async Task HeartbeatAsync(ActivityExecutionContext context, CancellationToken stop)
    {
        var interval = context.Info.HeartbeatTimeout is { } timeout && timeout > TimeSpan.Zero ? timeout / 3 : DefaultHeartbeatInterval;
        using var timer = new PeriodicTimer(interval);
        do
        {
            context.Heartbeat();
        }
        while (await NextAsync(timer, stop));
    }

    private static async Task<bool> NextAsync(PeriodicTimer timer, CancellationToken stop)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stop);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
