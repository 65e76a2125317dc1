using System.Diagnostics.Metrics;
using Go1.Orders.Application.Ports;

namespace Go1.OrderApi.Retention;

/// <summary>
/// Keeps the outbox and the idempotency keys bounded: every <see cref="RetentionOptions.Interval"/> it deletes published
/// messages and keys past their retention (Prometheus: <c>go1_retention_deleted_total{table}</c>). Safe on every replica.
/// </summary>
public sealed partial class RetentionCleanup : PeriodicSweep
{
    public const string MeterName = "Go1.Retention";

    private readonly IDataRetention _retention;
    private readonly RetentionOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<RetentionCleanup> _logger;
    private readonly Counter<long> _deleted;

    public RetentionCleanup(IDataRetention retention, IOptions<RetentionOptions> options, TimeProvider clock, IMeterFactory meterFactory, ILogger<RetentionCleanup> logger)
        : base((options ?? throw new ArgumentNullException(nameof(options))).Value.Interval, clock, logger)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _retention = retention;
        _options = options.Value;
        _clock = clock;
        _logger = logger;
        _deleted = meterFactory.Create(MeterName).CreateCounter<long>("go1.retention.deleted", "{row}", "Rows deleted past their retention, by table.");
    }

    protected override string Name => "retention";

    protected override Task SweepOnceAsync(CancellationToken cancellationToken) => SweepAsync(cancellationToken);

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

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: deleted {Outbox} published outbox messages and {Keys} idempotency keys.")]
    private static partial void LogDeleted(ILogger logger, int outbox, int keys);
}
