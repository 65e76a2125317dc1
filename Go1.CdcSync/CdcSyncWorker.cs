using Go1.ServiceDefaults;
using Polly;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Go1.CdcSync;

/// <summary>
/// Runs the configured change source into the cache projector for the life of the process. A cache write
/// that fails is retried in place (the change is not acknowledged meanwhile, so nothing is skipped); a
/// source that breaks is reconnected, resuming from its last acknowledged position. Both back off, and the
/// health check says Degraded meanwhile (reads still work: they fall back to PostgreSQL), as it does while
/// the source connects or projects its initial snapshot. A row no order can be read from costs the cache that order
/// alone (logged as an error), not every change behind it. With several replicas one streams and the others stand by
/// (Healthy, "standby"), asking every <see cref="CdcSyncOptions.StandbyPollInterval"/> and taking over when it goes.
/// </summary>
public sealed partial class CdcSyncWorker(
    IOrderChangeSource source,
    OrderCacheProjector projector,
    IOptions<CdcSyncOptions> options,
    TimeProvider clock,
    ILogger<CdcSyncWorker> logger) : BackgroundService, IHealthCheck
{
    /// <summary>Null while changes flow; otherwise what is wrong.</summary>
    private volatile string? _problem = "starting";

    /// <summary>Set while another replica streams the source and this one waits to take over.</summary>
    private volatile string? _standby;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_standby is { } standby ? HealthCheckResult.Healthy($"standby: {standby}")
            : _problem is { } problem ? HealthCheckResult.Degraded(problem)
            : HealthCheckResult.Healthy());

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var failures = 0; // since the source last started: a reconnect after a good run starts from the first wait
        var reconnect = RetryUntilSuccess.Pipeline(
            (ex, _) => ex is ChangeSourceTakenException ? options.Value.StandbyPollInterval : Backoff(++failures),
            (ex, _) =>
            {
                if (ex is ChangeSourceTakenException taken)
                {
                    if (_standby is null)
                    {
                        LogStandby(logger, source.Name, taken.Message);
                    }

                    _standby = taken.Message;
                    return;
                }

                _standby = null;
                _problem = $"{source.Name} source: {ex.Message}";
                LogSourceFailed(logger, ex, source.Name);
            },
            clock);
        try
        {
            await reconnect.ExecuteAsync(async ct =>
            {
                _problem = $"{source.Name} source: connecting";
                await source.RunAsync(ApplyAsync, () => (_problem, _standby, failures) = (null, null, 0), ct);
                ct.ThrowIfCancellationRequested();
                throw new InvalidOperationException($"The {source.Name} change source ended."); // only a stop may end the loop
            }, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private static readonly ResiliencePropertyKey<IReadOnlyList<OrderChange>> ChangesKey = new("go1.cdc.changes");
    private static readonly ResiliencePropertyKey<bool> FailedKey = new("go1.cdc.failed");

    /// <summary>A failed cache write is retried in place: the batch is not acknowledged meanwhile, so nothing is skipped.</summary>
    private ResiliencePipeline CacheWrite => _cacheWrite ??= RetryUntilSuccess.Pipeline((_, failures) => Backoff(failures), (context, ex, _) =>
    {
        var changes = context.Properties.GetValue(ChangesKey, null!);
        context.Properties.Set(FailedKey, true);
        _problem = $"cache write: {ex.Message}";
        LogCacheWriteFailed(logger, ex, changes.Count, changes[0].OrderId, changes[0].Version);
    }, clock);

    private ResiliencePipeline? _cacheWrite;

    private async Task ApplyAsync(IReadOnlyList<OrderChange> changes, CancellationToken cancellationToken)
    {
        if (changes.Count == 0)
        {
            return;
        }

        foreach (var change in changes)
        {
            if (change.Kind == OrderChangeKind.Unreadable)
            {
                LogUnreadable(logger, source.Name, change.OrderId, change.Version, change.Problem);
            }
        }

        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            context.Properties.Set(ChangesKey, changes);
            await CacheWrite.ExecuteAsync(static (ctx, state) => new ValueTask(
                state.Projector.ApplyAsync(ctx.Properties.GetValue(ChangesKey, null!), state.Source, ctx.CancellationToken)), context, (Projector: projector, Source: source.Name));
            if (context.Properties.TryGetValue(FailedKey, out _))
            {
                _problem = null;
            }
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private TimeSpan Backoff(int failures) => RetryBackoff.After(failures, options.Value.RetryDelay, options.Value.MaxRetryDelay);

    [LoggerMessage(Level = LogLevel.Information, Message = "Standing by: the {Source} source is taken ({Reason}); this replica takes over when it is free.")]
    private static partial void LogStandby(ILogger logger, string source, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Source} change source failed; reconnecting.")]
    private static partial void LogSourceFailed(ILogger logger, Exception exception, string source);

    [LoggerMessage(Level = LogLevel.Error, Message = "The {Source} source delivered order {OrderId} version {Version}, which is no order this code can read ({Problem}); the cache forgets the order, so its reads go to PostgreSQL.")]
    private static partial void LogUnreadable(ILogger logger, string source, Guid orderId, long version, string? problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing {Count} changes (the first: order {OrderId} version {Version}) to the cache failed; retrying.")]
    private static partial void LogCacheWriteFailed(ILogger logger, Exception exception, int count, Guid orderId, long version);
}
