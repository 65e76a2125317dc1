using System.Diagnostics.Metrics;
using Go1.CdcSync;
using Go1.Orders.Application.Ports;
using Go1.Orders.ReadModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Go1.Tests.ChangeCapture;

/// <summary>The projector hands each change to the cache's guard with the right version, and counts what the guard decided.</summary>
public sealed class OrderCacheProjectorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A port fake that answers like the guard: only a strictly newer version is stored (deletes win ties).</summary>
    private sealed class GuardedCache : IOrderCache
    {
        public Dictionary<Guid, (long Version, bool Deleted)> Entries { get; } = [];

        public Task<OrderDocument?> GetAsync(Guid orderId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<bool> SetIfNewerAsync(OrderDocument order, CancellationToken cancellationToken) => Task.FromResult(Write(order.Id, order.Version, false));

        public Task<bool> DeleteAsync(Guid orderId, long version, CancellationToken cancellationToken) => Task.FromResult(Write(orderId, version, true));

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

    [Fact]
    public async Task Older_and_repeated_changes_are_refused_and_counted_as_stale_and_lag_is_measured_from_the_commit()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        using var changes = new MetricCollector<long>(meters, OrderCacheProjector.MeterName, "go1.cdc.changes");
        using var lag = new MetricCollector<double>(meters, OrderCacheProjector.MeterName, "go1.cdc.lag");
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-27T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var cache = new GuardedCache();
        var projector = new OrderCacheProjector(cache, clock, meters);
        var order = OrderRows.Order(version: 2);
        var committed = clock.GetUtcNow().AddMilliseconds(-40);

        Assert.True(await projector.ApplyAsync(OrderChange.Upsert(order, committed), "test", Ct));
        Assert.False(await projector.ApplyAsync(OrderChange.Upsert(order with { Version = 1 }, committed), "test", Ct));
        Assert.False(await projector.ApplyAsync(OrderChange.Upsert(order, committed), "test", Ct));
        Assert.True(await projector.ApplyAsync(OrderChange.Delete(order.Id, 2, committed), "test", Ct));
        Assert.False(await projector.ApplyAsync(OrderChange.Upsert(order, null), "test", Ct));

        Assert.Equal((2L, true), cache.Entries[order.Id]);
        var outcomes = changes.GetMeasurementSnapshot().Select(m => $"{m.Tags["kind"]}:{m.Tags["outcome"]}").ToList();
        Assert.Equal(["upsert:applied", "upsert:stale", "upsert:stale", "delete:applied", "upsert:stale"], outcomes);
        Assert.Equal([40d, 40d, 40d, 40d], lag.GetMeasurementSnapshot().Select(m => m.Value));
    }
}
