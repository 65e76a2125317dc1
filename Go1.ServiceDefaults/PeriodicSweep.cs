using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Go1.ServiceDefaults;

/// <summary>
/// A job that sweeps at start and then every interval, on every replica. A sweep that fails (its database or
/// Temporal down) is logged and the next one tries again; only the host's stop ends it.
/// </summary>
public abstract partial class PeriodicSweep(TimeSpan interval, TimeProvider clock, ILogger logger) : BackgroundService
{
    /// <summary>What the logs call this job.</summary>
    protected abstract string Name { get; }

    protected abstract Task SweepOnceAsync(CancellationToken cancellationToken);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, clock);
        do
        {
            try
            {
                await SweepOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogSweepFailed(logger, ex, Name);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Sweep} sweep failed; the next one tries again.")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception, string sweep);
}
