using System.Diagnostics.Metrics;
using Go1.Orders.Application.Ports;

namespace Go1.CdcSync;

/// <summary>
/// Applies committed order changes to the cache through its version guard, a batch at a time: an upsert stores the
/// row's read model unless a newer version is cached, a delete (or a row no order can be read from) leaves a tombstone. Replays and out-of-order deliveries
/// are therefore harmless (counted as <c>stale</c>). Cache failures propagate, so the source retries the batch.
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

    /// <summary>
    /// Applies <paramref name="changes"/> in one round trip to the cache and returns how many it took. Of several changes
    /// to one order only the newest is written (a deletion wins a tie, as in the guard); the others are counted as
    /// <c>superseded</c>, and those the guard refused as <c>stale</c>.
    /// </summary>
    public async Task<int> ApplyAsync(IReadOnlyList<OrderChange> changes, string source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var newest = new Dictionary<Guid, int>(changes.Count);
        for (var i = 0; i < changes.Count; i++)
        {
            var change = changes[i];
            if (change.Kind == OrderChangeKind.Upsert && change.Order is null)
            {
                throw new ArgumentException("An upsert carries its order.", nameof(changes));
            }

            if (!newest.TryGetValue(change.OrderId, out var kept) || Supersedes(change, changes[kept]))
            {
                newest[change.OrderId] = i;
            }
        }

        var written = newest.Values.Order().ToArray();
        var stored = await _cache.WriteAllAsync(
            written.Select(i => changes[i] is { Order: { } order } ? OrderCacheWrite.Upsert(order) : OrderCacheWrite.Delete(changes[i].OrderId, changes[i].Version)).ToArray(),
            cancellationToken);

        var outcomes = new string[changes.Count];
        Array.Fill(outcomes, "superseded");
        for (var w = 0; w < written.Length; w++)
        {
            outcomes[written[w]] = stored[w] ? "applied" : "stale";
        }

        var sourceTag = new KeyValuePair<string, object?>("source", source);
        var now = _clock.GetUtcNow();
        for (var i = 0; i < changes.Count; i++)
        {
            var change = changes[i];
            _changes.Add(1, sourceTag, new("kind", Tag(change.Kind)), new("outcome", outcomes[i]));
            if (change.CommittedAt is { } committedAt)
            {
                _lag.Record(Math.Max(0, (now - committedAt).TotalMilliseconds), sourceTag);
            }
        }

        return stored.Count(s => s);
    }

    private static bool Supersedes(OrderChange change, OrderChange kept) =>
        change.Version > kept.Version || (change.Version == kept.Version && change.Kind == OrderChangeKind.Delete);

    private static string Tag(OrderChangeKind kind) => kind switch
    {
        OrderChangeKind.Upsert => "upsert",
        OrderChangeKind.Delete => "delete",
        _ => "unreadable",
    };
}
