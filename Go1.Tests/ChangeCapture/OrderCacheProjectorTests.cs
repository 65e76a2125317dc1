using Go1.CdcSync;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Go1.Tests.ChangeCapture;

/// <summary>The projector hands each batch to the cache's guard with the right versions, in one call, and counts what was decided.</summary>
public sealed class OrderCacheProjectorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A port fake that answers like the guard: only a strictly newer version is stored (deletes win ties).</summary>
    private sealed class GuardedCache : IOrderCache
    {
        public Dictionary<Guid, (long Version, bool Deleted)> Entries { get; } = [];

        public List<int> Calls { get; } = [];

        public Task<OrderDocument?> GetAsync(Guid orderId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<bool> SetIfNewerAsync(OrderDocument order, CancellationToken cancellationToken) => Task.FromResult(Write(order.Id, order.Version, false));

        public Task<bool> DeleteAsync(Guid orderId, long version, CancellationToken cancellationToken) => Task.FromResult(Write(orderId, version, true));

        public Task<bool[]> WriteAllAsync(IReadOnlyList<OrderCacheWrite> writes, CancellationToken cancellationToken)
        {
            Calls.Add(writes.Count);
            return Task.FromResult(writes.Select(w => Write(w.OrderId, w.Version, w.Order is null)).ToArray());
        }

        private bool Write(Guid id, long version, bool deleted)
        {
            if (Entries.TryGetValue(id, out var current) && (current.Version > version || (current.Version == version && !deleted)))
            {
                return false;
            }

            Entries[id] = (version, deleted);
            return true;
        }
    }

    /// <summary>A projector over a <see cref="GuardedCache"/>, with collectors of its two instruments and its clock.</summary>
    private sealed class Rig : IDisposable
    {
        private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        private readonly MetricCollector<long> _changes;
        private readonly MetricCollector<double> _lag;
        private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-11-27T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        private readonly GuardedCache _cache = new();
        private readonly OrderCacheProjector _projector;

        public Rig()
        {
            var meters = _services.GetRequiredService<IMeterFactory>();
            _projector = new OrderCacheProjector(_cache, _clock, meters);
            _changes = new MetricCollector<long>(meters, OrderCacheProjector.MeterName, "go1.cdc.changes");
            _lag = new MetricCollector<double>(meters, OrderCacheProjector.MeterName, "go1.cdc.lag");
        }

        public void Deconstruct(out OrderCacheProjector projector, out GuardedCache cache, out MetricCollector<long> changes, out MetricCollector<double> lag, out FakeTimeProvider clock) =>
            (projector, cache, changes, lag, clock) = (_projector, _cache, _changes, _lag, _clock);

        public void Dispose()
        {
            _changes.Dispose();
            _lag.Dispose();
            _services.Dispose();
        }
    }

    private static List<string> Outcomes(MetricCollector<long> changes) =>
        [.. changes.GetMeasurementSnapshot().Select(m => $"{m.Tags["kind"]}:{m.Tags["outcome"]}")];

    [Fact]
    public async Task Older_and_repeated_changes_are_refused_and_counted_as_stale_and_lag_is_measured_from_the_commit()
    {
        using var rig = new Rig();
        var (projector, cache, changes, lag, clock) = rig;
        var order = OrderRows.Order(version: 2);
        var committed = clock.GetUtcNow().AddMilliseconds(-40);

        Assert.Equal(1, await projector.ApplyAsync([OrderChange.Upsert(order, committed)], "test", Ct));
        Assert.Equal(0, await projector.ApplyAsync([OrderChange.Upsert(order with { Version = 1 }, committed)], "test", Ct));
        Assert.Equal(0, await projector.ApplyAsync([OrderChange.Upsert(order, committed)], "test", Ct));
        Assert.Equal(1, await projector.ApplyAsync([OrderChange.Delete(order.Id, 2, committed)], "test", Ct));
        Assert.Equal(0, await projector.ApplyAsync([OrderChange.Upsert(order, null)], "test", Ct));

        Assert.Equal((2L, true), cache.Entries[order.Id]);
        Assert.Equal(["upsert:applied", "upsert:stale", "upsert:stale", "delete:applied", "upsert:stale"], Outcomes(changes));
        Assert.Equal([40d, 40d, 40d, 40d], lag.GetMeasurementSnapshot().Select(m => m.Value));
    }

    [Fact]
    public async Task A_batch_is_one_cache_call_that_writes_only_the_newest_change_of_each_order()
    {
        using var rig = new Rig();
        var (projector, cache, changes, lag, clock) = rig;
        var a = OrderRows.Order(version: 1);
        var b = OrderRows.Order(version: 5);
        var committed = clock.GetUtcNow().AddMilliseconds(-7);

        var applied = await projector.ApplyAsync(
        [
            OrderChange.Upsert(a, committed),
            OrderChange.Upsert(b, committed),
            OrderChange.Upsert(a with { Version = 3 }, committed),
            OrderChange.Upsert(a with { Version = 2 }, committed), // delivered late: older than the 3 before it
            OrderChange.Upsert(b with { Version = 6 }, committed),
            OrderChange.Delete(b.Id, 6, committed), // the row's last change, then its deletion: the deletion wins the tie
        ], "test", Ct);

        Assert.Equal(2, applied);
        Assert.Equal([2], cache.Calls);
        Assert.Equal((3L, false), cache.Entries[a.Id]);
        Assert.Equal((6L, true), cache.Entries[b.Id]);
        Assert.Equal(["upsert:superseded", "upsert:superseded", "upsert:applied", "upsert:superseded", "upsert:superseded", "delete:applied"], Outcomes(changes));
        Assert.Equal(Enumerable.Repeat(7d, 6), lag.GetMeasurementSnapshot().Select(m => m.Value));
    }

    [Fact]
    public async Task An_unreadable_change_leaves_a_tombstone_at_its_version_and_is_counted_as_unreadable()
    {
        using var rig = new Rig();
        var (projector, cache, changes, _, clock) = rig;
        var order = OrderRows.Order(version: 1);

        await projector.ApplyAsync([OrderChange.Upsert(order, clock.GetUtcNow())], "test", Ct);
        Assert.Equal(1, await projector.ApplyAsync([OrderChange.Unreadable(order.Id, 2, "Column 'status' is unknown.", clock.GetUtcNow())], "test", Ct));
        Assert.Equal(0, await projector.ApplyAsync([OrderChange.Upsert(order with { Version = 2 }, clock.GetUtcNow())], "test", Ct)); // a fill of that version

        Assert.Equal((2L, true), cache.Entries[order.Id]);
        Assert.Equal(["upsert:applied", "unreadable:applied", "upsert:stale"], Outcomes(changes));
    }
}
