using Go1.Orders.Infrastructure.Persistence;

namespace Go1.Tests.Infrastructure;

public sealed class CachedServiceCatalogTests
{
    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 11, 27, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private sealed class CountingCatalog : IServiceCatalog
    {
        public int Calls { get; private set; }

        public bool Enabled { get; set; } = true;

        public Task<CatalogEntry?> FindAsync(string serviceId, CancellationToken cancellationToken)
        {
            Calls++;
            return Task.FromResult(serviceId == "taxi"
                ? new CatalogEntry(new ServiceSnapshot("taxi", ServiceType.RideTaxi, "Taxi", "METERED", TimeSpan.FromMinutes(5), TimeSpan.Zero, []), Enabled, new Tariff(12_000, 16_000, "VND"))
                : null);
        }

        public Task<CatalogEntry?> FindByGoIdAsync(int goId, CancellationToken cancellationToken) => FindAsync(goId == 1 ? "taxi" : "none", cancellationToken);
    }

    [Fact]
    public async Task Found_entries_are_served_from_memory_until_they_expire()
    {
        var clock = new ManualClock();
        var inner = new CountingCatalog();
        var catalog = new CachedServiceCatalog(inner, clock);

        Assert.True((await catalog.FindAsync("taxi", TestContext.Current.CancellationToken))!.Enabled);
        inner.Enabled = false;
        clock.Now += CachedServiceCatalog.TimeToLive - TimeSpan.FromSeconds(1);
        Assert.True((await catalog.FindAsync("taxi", TestContext.Current.CancellationToken))!.Enabled);
        Assert.Equal(1, inner.Calls);

        clock.Now += TimeSpan.FromSeconds(2);
        Assert.False((await catalog.FindAsync("taxi", TestContext.Current.CancellationToken))!.Enabled);
        Assert.Equal(2, inner.Calls);
    }

    [Fact]
    public async Task Unknown_services_are_asked_for_every_time_and_never_cached()
    {
        var inner = new CountingCatalog();
        var catalog = new CachedServiceCatalog(inner, new ManualClock());

        Assert.Null(await catalog.FindAsync("nope", TestContext.Current.CancellationToken));
        Assert.Null(await catalog.FindAsync("nope", TestContext.Current.CancellationToken));
        Assert.Equal(2, inner.Calls);
    }

    [Fact]
    public async Task A_go_id_and_a_slug_are_cached_apart()
    {
        var inner = new CountingCatalog();
        var catalog = new CachedServiceCatalog(inner, new ManualClock());

        Assert.Equal("taxi", (await catalog.FindByGoIdAsync(1, TestContext.Current.CancellationToken))!.Service.Id);
        Assert.Equal("taxi", (await catalog.FindAsync("taxi", TestContext.Current.CancellationToken))!.Service.Id);
        await catalog.FindByGoIdAsync(1, TestContext.Current.CancellationToken);

        Assert.Equal(2, inner.Calls);
    }
}
