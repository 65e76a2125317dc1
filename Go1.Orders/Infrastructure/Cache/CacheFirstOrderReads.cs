using System.Diagnostics.Metrics;
using Go1.Orders.Application.Ports;
using Go1.Orders.ReadModel;
using StackExchange.Redis;

namespace Go1.Orders.Infrastructure.Cache;

/// <summary>
/// Reads order documents from the cache first; on a miss from PostgreSQL, filling the cache through its version
/// guard. A cache failure or a slow answer falls back to PostgreSQL (read once, even when only the fill
/// failed) and opens a short breaker, so a Redis outage costs neither errors nor latency. Writes go straight to
/// PostgreSQL (change capture updates the cache).
/// </summary>
public sealed class CacheFirstOrderReads : IOrderReads
{
    public const string MeterName = "Go1.Orders.Cache";
    private static readonly TimeSpan CacheTimeout = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan BreakFor = TimeSpan.FromSeconds(5);

    private readonly IOrderReads _database;
    private readonly IOrderCache _cache;
    private readonly TimeProvider _clock;
    private readonly Counter<long> _reads;
    private const long Closed = 0;
    private long _openUntilTicks = Closed;

    public CacheFirstOrderReads(IOrderReads database, IOrderCache cache, TimeProvider clock, IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _database = database;
        _cache = cache;
        _clock = clock;
        _reads = meterFactory.Create(MeterName).CreateCounter<long>("go1.cache.reads", "{read}", "Order reads by cache outcome: hit, miss or fallback.");
    }

    public async Task<OrderDocument?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!TryUseCache())
        {
            Count("fallback");
            return await _database.GetAsync(id, cancellationToken);
        }

        if (await TryCacheAsync(() => _cache.GetAsync(id, cancellationToken), cancellationToken) is { } cached)
        {
            Count("hit");
            return cached;
        }

        Count(BreakerOpen() ? "fallback" : "miss");
        var order = await _database.GetAsync(id, cancellationToken);
        if (order is not null && !BreakerOpen())
        {
            await TryCacheAsync(() => _cache.SetIfNewerAsync(order, cancellationToken), cancellationToken);
        }

        return order;
    }

    /// <summary>Runs a cache call within <see cref="CacheTimeout"/>; a failure opens the breaker and yields default.</summary>
    private async Task<T?> TryCacheAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            var result = await call().WaitAsync(CacheTimeout, cancellationToken);
            if (BreakerOpen())
            {
                Interlocked.Exchange(ref _openUntilTicks, Closed); // the probe succeeded
            }

            return result;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Interlocked.Exchange(ref _openUntilTicks, (_clock.GetUtcNow() + BreakFor).UtcTicks);
            return default;
        }
    }

    /// <summary>
    /// Not Polly's circuit breaker: it opens only after two or more calls in a window (MinimumThroughput ≥ 2), and
    /// here the first failure must open it, so that an outage makes one request wait, not several.
    /// Closed: use the cache. Open: don't. Once the break is over, exactly one request probes the cache
    /// (pushing the break forward for everyone else) until a call succeeds and closes the breaker, so an
    /// outage never makes more than one request wait for <see cref="CacheTimeout"/> per break.
    /// </summary>
    private bool TryUseCache()
    {
        var openUntil = Interlocked.Read(ref _openUntilTicks);
        if (openUntil == Closed)
        {
            return true;
        }

        var now = _clock.GetUtcNow().UtcTicks;
        return now >= openUntil && Interlocked.CompareExchange(ref _openUntilTicks, now + BreakFor.Ticks, openUntil) == openUntil;
    }

    private bool BreakerOpen() => Interlocked.Read(ref _openUntilTicks) != Closed;

    private void Count(string outcome) => _reads.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
}
