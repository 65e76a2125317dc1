using Go1.Orders.Application.ChangeCapture;
using Go1.Orders.Application.Ports;
using Microsoft.Extensions.Options;

namespace Go1.CdcSync;

/// <summary>
/// Runs the configured change source into the cache projector for the life of the process. A cache write
/// that fails is retried in place (the change is not acknowledged meanwhile, so nothing is skipped); a
/// source that breaks is reconnected, resuming from its last acknowledged position. Both back off.
/// </summary>
public sealed partial class CdcSyncWorker(
    IOrderChangeSource source,
    OrderCacheProjector projector,
    CdcSyncStatus status,
    IOptions<CdcSyncOptions> options,
    TimeProvider clock,
    ILogger<CdcSyncWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                status.Streaming();
                await source.RunAsync(ApplyAsync, stoppingToken);
                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                status.Failing($"{source.Name} source: {ex.Message}");
                LogSourceFailed(logger, ex, source.Name);
                await Task.Delay(Backoff(++failures), clock, stoppingToken);
            }
        }
    }

    private async Task ApplyAsync(OrderChange change, CancellationToken cancellationToken)
    {
        for (var failures = 0; ; )
        {
            try
            {
                await projector.ApplyAsync(change, source.Name, cancellationToken);
                if (failures > 0)
                {
                    status.Streaming();
                }

                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                status.Failing($"cache write: {ex.Message}");
                LogCacheWriteFailed(logger, ex, change.OrderId, change.Version);
                await Task.Delay(Backoff(++failures), clock, cancellationToken);
            }
        }
    }

    private TimeSpan Backoff(int failures)
    {
        var policy = options.Value;
        return TimeSpan.FromTicks(Math.Min(policy.MaxRetryDelay.Ticks, policy.RetryDelay.Ticks * (1L << Math.Min(failures - 1, 20))));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Source} change source failed; reconnecting.")]
    private static partial void LogSourceFailed(ILogger logger, Exception exception, string source);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing order {OrderId} version {Version} to the cache failed; retrying.")]
    private static partial void LogCacheWriteFailed(ILogger logger, Exception exception, Guid orderId, long version);
}
