using System.Diagnostics.Metrics;
using Go1.Orders.Application.Ports;
using Microsoft.Extensions.Options;

namespace Go1.OrderApi.Retention;

/// <summary>
/// Keeps the outbox and the idempotency keys bounded: every <see cref="RetentionOptions.Interval"/> it deletes published
/// messages and keys past their retention (Prometheus: <c>go1_retention_deleted_total{table}</c>). Safe on every replica.
/// </summary>
public sealed partial class RetentionCleanup : BackgroundService
{
    public const string MeterName = "Go1.Retention";

    private readonly IDataRetention _retention;
    private readonly RetentionOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<RetentionCleanup> _logger;
    private readonly Counter<long> _deleted;

    public RetentionCleanup(IDataRetention retention, IOptions<RetentionOptions> options, TimeProvider clock, IMeterFactory meterFactory, ILogger<RetentionCleanup> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(meterFactory);
        _retention = retention;
        _options = options.Value;
        _clock = clock;
        _logger = logger;
        _deleted = meterFactory.Create(MeterName).CreateCounter<long>("go1.retention.deleted", "{row}", "Rows deleted past their retention, by table.");
    }

    /// <summary>One sweep of both tables; returns the rows deleted from each.</summary>
    public async Task<(int Outbox, int IdempotencyKeys)> SweepAsync(CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        var outbox = await _retention.DeletePublishedOutboxAsync(now - _options.PublishedOutbox, cancellationToken);
        var keys = await _retention.DeleteIdempotencyKeysAsync(now - _options.IdempotencyKeys, cancellationToken);
        _deleted.Add(outbox, new KeyValuePair<string, object?>("table", "outbox"));
        _deleted.Add(keys, new KeyValuePair<string, object?>("table", "idempotency_keys"));
        if (outbox + keys > 0)
        {
            LogDeleted(_logger, outbox, keys);
        }

        return (outbox, keys);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.Interval, _clock);
        do
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogSweepFailed(_logger, ex); // PostgreSQL unreachable: the next sweep catches up
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: deleted {Outbox} published outbox messages and {Keys} idempotency keys.")]
    private static partial void LogDeleted(ILogger logger, int outbox, int keys);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention sweep failed; the next one tries again.")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
