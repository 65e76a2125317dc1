using System.Diagnostics.Metrics;
using Go1.Orders.Application.Ports;

namespace Go1.CdcSync;

/// <summary>
/// Applies committed order changes to the cache through its version guard: an upsert stores the row's read
/// model unless a newer version is cached, a delete leaves a tombstone. Replays and out-of-order deliveries are
/// therefore harmless (counted as <c>stale</c>). Cache failures propagate, so the source retries the change.
/// </summary>
public sealed class OrderCacheProjector
{
    public const string MeterName = "Go1.Cdc";

    private readonly IOrderCache _cache;
    private readonly TimeProvider _clock;
    private readonly Counter<long> _changes;
    private readonly Histogram<double> _lag;

    public OrderCacheProjector(IOrderCache cache, TimeProvider clock, IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _cache = cache;
        _clock = clock;
        var meter = meterFactory.Create(MeterName);
        _changes = meter.CreateCounter<long>("go1.cdc.changes", "{change}", "Order changes projected into the cache, by source, kind and outcome (applied or stale).");
        _lag = meter.CreateHistogram<double>("go1.cdc.lag", "ms", "From the change's commit to its cache write.");
    }

    /// <summary>Applies <paramref name="change"/>; true when the cache took it, false when it already held the same or a newer version.</summary>
    public async Task<bool> ApplyAsync(OrderChange change, string source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var applied = change.Kind == OrderChangeKind.Delete
            ? await _cache.DeleteAsync(change.OrderId, change.Version, cancellationToken)
            : await _cache.SetIfNewerAsync(change.Order ?? throw new ArgumentException("An upsert carries its order.", nameof(change)), cancellationToken);

        var sourceTag = new KeyValuePair<string, object?>("source", source);
        _changes.Add(1, sourceTag, new("kind", change.Kind == OrderChangeKind.Delete ? "delete" : "upsert"), new("outcome", applied ? "applied" : "stale"));
        if (change.CommittedAt is { } committedAt)
        {
            _lag.Record(Math.Max(0, (_clock.GetUtcNow() - committedAt).TotalMilliseconds), sourceTag);
        }

        return applied;
    }
}
