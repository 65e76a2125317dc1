using Go1.Orders.Infrastructure.Cache;
using Go1.Tests.ChangeCapture;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Go1.Tests.Infrastructure;

/// <summary>The near cache keeps only what no invalidation can have overtaken, and nothing while invalidations may be lost.</summary>
public sealed class NearCacheTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly Guid _id = Guid.CreateVersion7();

    public void Dispose() => _services.Dispose();

    private NearCache Live(NearCacheOptions? options = null)
    {
        var near = new NearCache(options ?? new NearCacheOptions(), _services.GetRequiredService<IMeterFactory>());
        near.Resume();
        return near;
    }

    private static readonly OrderDocument Template = OrderRows.Order();

    /// <summary>A document told apart by <paramref name="label"/> (its workflow id), which <see cref="Read"/> returns.</summary>
    private static OrderDocument Doc(string label) => Template with { WorkflowId = label };

    private static string? Read(NearCache near, Guid id) => near.TryGet(id, out var order) ? order?.WorkflowId ?? "nothing to serve" : null;

    [Fact]
    public void Starts_suspended_and_keeps_nothing_until_resumed()
    {
        using var near = new NearCache(new NearCacheOptions(), _services.GetRequiredService<IMeterFactory>());
        near.Store(near.BeginRead(_id), _id, Doc("v1"), 1000);

        Assert.False(near.IsLive);
        Assert.Null(Read(near, _id));
    }

    [Fact]
    public void Serves_what_it_stored_and_counts_hits_and_misses()
    {
        using var reads = new MetricCollector<long>(_services.GetRequiredService<IMeterFactory>(), CacheFirstOrderReads.MeterName, "go1.cache.near.reads");
        using var near = Live();

        Assert.Null(Read(near, _id));
        near.Store(near.BeginRead(_id), _id, Doc("v1"), 1000);

        Assert.Equal("v1", Read(near, _id));
        Assert.Equal(["miss", "hit"], reads.GetMeasurementSnapshot().Select(m => (string)m.Tags["outcome"]!));
    }

    [Fact]
    public void An_invalidation_evicts_the_entry()
    {
        using var near = Live();
        near.Store(near.BeginRead(_id), _id, Doc("v1"), 1000);

        near.Invalidate(_id);

        Assert.Null(Read(near, _id));
    }

    [Fact]
    public void A_read_overtaken_by_an_invalidation_is_not_kept()
    {
        using var near = Live();
        var token = near.BeginRead(_id); // the Redis GET is in flight...
        near.Invalidate(_id);            // ...when the order changes

        near.Store(token, _id, Doc("v1"), 1000);

        Assert.Null(Read(near, _id));
        near.Store(near.BeginRead(_id), _id, Doc("v2"), 1000); // a read started afterwards is kept
        Assert.Equal("v2", Read(near, _id));
    }

    [Fact]
    public void Invalidating_another_order_does_not_evict_this_one()
    {
        using var near = Live();
        near.Store(near.BeginRead(_id), _id, Doc("v1"), 1000);

        near.Invalidate(Guid.CreateVersion7());

        Assert.Equal("v1", Read(near, _id));
    }

    [Fact]
    public void Suspending_forgets_everything_and_refuses_reads_begun_before_it_even_after_resuming()
    {
        using var near = Live();
        near.Store(near.BeginRead(_id), _id, Doc("v1"), 1000);
        var inFlight = near.BeginRead(_id);

        near.Suspend();
        Assert.False(near.IsLive);
        Assert.Null(Read(near, _id));
        near.Store(near.BeginRead(_id), _id, Doc("while suspended"), 1000);
        near.Resume();
        near.Store(inFlight, _id, Doc("begun before the suspension"), 1000);

        Assert.True(near.IsLive);
        Assert.Null(Read(near, _id));
    }

    [Fact]
    public void Suspending_or_resuming_twice_is_the_same_as_once()
    {
        using var near = Live();
        near.Suspend();
        near.Suspend();
        Assert.False(near.IsLive);

        near.Resume();
        near.Resume();
        Assert.True(near.IsLive);
        near.Store(near.BeginRead(_id), _id, Doc("v1"), 1000);
        Assert.Equal("v1", Read(near, _id));
    }

    [Fact]
    public async Task Entries_expire_after_their_time_to_live()
    {
        using var near = Live(new NearCacheOptions { TimeToLive = TimeSpan.FromMilliseconds(50) });
        near.Store(near.BeginRead(_id), _id, Doc("v1"), 1000);

        await Task.Delay(200, TestContext.Current.CancellationToken);

        Assert.Null(Read(near, _id));
    }

    [Fact]
    public void A_key_with_nothing_to_serve_is_held_too_so_it_costs_no_round_trip()
    {
        using var near = Live();
        near.Store(near.BeginRead(_id), _id, null, 1000);

        Assert.True(near.TryGet(_id, out var order));
        Assert.Null(order);
    }

    [Fact]
    public void Keeps_at_most_its_memory_bound()
    {
        // 1 MiB holds two entries read from 150,000 characters of JSON (each counted as three times that), not five.
        using var near = Live(new NearCacheOptions { MaxMegabytes = 1 });
        var ids = Enumerable.Range(0, 5).Select(_ => Guid.CreateVersion7()).ToList();
        foreach (var id in ids)
        {
            near.Store(near.BeginRead(id), id, Doc(id.ToString()), 150_000);
        }

        // Over the limit new entries are refused (and a background compaction may drop a few old ones).
        Assert.InRange(ids.Count(id => Read(near, id) is not null), 1, 2);
    }
}
