using Polly;
using Polly.Retry;

namespace Go1.ServiceDefaults;

/// <summary>
/// Polly pipelines for work that must go on until it succeeds: a reconnect loop, a write retried in place. Every
/// failure <c>handles</c> accepts (default: all) but the caller's own cancellation is retried, without limit.
/// </summary>
public static class RetryUntilSuccess
{
    /// <summary>
    /// <paramref name="delay"/> gets the failure and how many failures in a row this execution has seen (1 for the
    /// first); <paramref name="onFailure"/> hears of each failure with the wait chosen for it.
    /// </summary>
    public static ResiliencePipeline Pipeline(
        Func<Exception, int, TimeSpan> delay, Action<Exception, TimeSpan> onFailure, TimeProvider? clock = null, Func<Exception, bool>? handles = null)
    {
        ArgumentNullException.ThrowIfNull(onFailure);
        return Pipeline(delay, (_, ex, wait) => onFailure(ex, wait), clock, handles);
    }

    /// <summary>As above; <paramref name="onFailure"/> also gets the execution's context (to read what it works on).</summary>
    public static ResiliencePipeline Pipeline(
        Func<Exception, int, TimeSpan> delay, Action<ResilienceContext, Exception, TimeSpan> onFailure, TimeProvider? clock = null, Func<Exception, bool>? handles = null)
    {
        ArgumentNullException.ThrowIfNull(delay);
        ArgumentNullException.ThrowIfNull(onFailure);
        return new ResiliencePipelineBuilder { TimeProvider = clock ?? TimeProvider.System }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = int.MaxValue,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } ex
                    && !(ex is OperationCanceledException && args.Context.CancellationToken.IsCancellationRequested)
                    && (handles is null || handles(ex))),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(delay(args.Outcome.Exception!, args.AttemptNumber + 1)),
                OnRetry = args =>
                {
                    onFailure(args.Context, args.Outcome.Exception!, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }
}
