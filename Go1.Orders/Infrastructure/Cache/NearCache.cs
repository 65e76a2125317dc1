using System.Diagnostics.Metrics;
using Go1.Orders.ReadModel;
using Microsoft.Extensions.Caching.Memory;

namespace Go1.Orders.Infrastructure.Cache;

/// <summary>
/// A process-local copy of hot Redis entries, parsed (so a hit costs no JSON work), kept only while invalidations are known to arrive.
/// An entry is an order document, or nothing for a key Redis holds but that answers "not cached" (a tombstone, a newer format).
/// Every applied write to Redis publishes the order id; <see cref="Invalidate"/> evicts it here. A read that
/// raced with an invalidation is not kept: <see cref="BeginRead"/> takes a token before the Redis read and
/// <see cref="Store"/> refuses it when an invalidation of the same stripe, or a suspension, came in between.
/// While the invalidation channel is down (<see cref="Suspend"/>) nothing is served or kept, so a lost
/// message can never leave a stale entry behind; <see cref="Resume"/> starts again from empty.
/// </summary>
public sealed class NearCache : IDisposable
{
    private const int StripeCount = 1024; // power of two: the stripe is a mask of the id's hash
    private static readonly object NothingToServe = new();

    // What an entry costs in memory, per character of its JSON: the parsed document and its rendered body beside it
    // (measured under bench/orders' miss phase; bench/README.md).
    private const long CostPerJsonCharacter = 3;
    private const long EntryOverhead = 256;

    private readonly MemoryCache _entries;
    private readonly TimeSpan _timeToLive;
    private readonly long[] _stripes = new long[StripeCount];
    private readonly Counter<long> _reads;
    private long _epoch; // odd while suspended

    public NearCache(NearCacheOptions options, IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(meterFactory);
        _entries = new MemoryCache(new MemoryCacheOptions { SizeLimit = options.MaxMegabytes * 1024L * 1024L });
        _timeToLive = options.TimeToLive;
        _epoch = 1; // suspended until the invalidation channel is proven live
        var meter = meterFactory.Create(CacheFirstOrderReads.MeterName);
        _reads = meter.CreateCounter<long>("go1.cache.near.reads", "{read}", "Order cache reads by the in-process near cache: hit or miss (a miss reads Redis).");
        meter.CreateObservableGauge("go1.cache.near.live", () => IsLive ? 1 : 0, description: "1 while the near cache is in use (its invalidation channel is live), else 0.");
    }

    /// <summary>True while entries are served and kept.</summary>
    public bool IsLive => (Interlocked.Read(ref _epoch) & 1) == 0;

    /// <summary>True when <paramref name="id"/> is held here; <paramref name="order"/> is then what Redis held (null: nothing to serve).</summary>
    public bool TryGet(Guid id, out OrderDocument? order)
    {
        if (IsLive && _entries.TryGetValue(id, out var value) && value is not null)
        {
            _reads.Add(1, new KeyValuePair<string, object?>("outcome", "hit"));
            order = value as OrderDocument;
            return true;
        }

        _reads.Add(1, new KeyValuePair<string, object?>("outcome", "miss"));
        order = null;
        return false;
    }

    /// <summary>Taken before reading <paramref name="id"/> from Redis; pass it to <see cref="Store"/>.</summary>
    public ReadToken BeginRead(Guid id) => new(Interlocked.Read(ref _epoch), Interlocked.Read(ref _stripes[Stripe(id)]));

    /// <summary>
    /// Keeps what Redis returned for <paramref name="id"/> (null: a key with nothing to serve), read from
    /// <paramref name="jsonLength"/> characters of JSON, unless it may already be stale.
    /// </summary>
    /// <remarks>
    /// The document is shared by every later hit, on many threads: nothing may change it (the read path only reads;
    /// its <c>metadata</c> JsonObject materializes lazily, which System.Text.Json makes safe for concurrent readers).
    /// </remarks>
    public void Store(ReadToken token, Guid id, OrderDocument? order, int jsonLength)
    {
        if (!StillValid(token, id))
        {
            return;
        }

        _entries.Set(id, order ?? NothingToServe, new MemoryCacheEntryOptions
        {
            Size = EntryOverhead + (CostPerJsonCharacter * (long)jsonLength),
            AbsoluteExpirationRelativeToNow = _timeToLive,
        });
        // An invalidation or a suspension may have landed between the check and the write: undo it then.
        // (Invalidate bumps the stripe before it evicts, Suspend the epoch before it clears, so one of the two sees the other.)
        if (!StillValid(token, id))
        {
            _entries.Remove(id);
        }
    }

    /// <summary>The order changed in Redis: drop the local copy and any read in flight.</summary>
    public void Invalidate(Guid id)
    {
        Interlocked.Increment(ref _stripes[Stripe(id)]);
        _entries.Remove(id);
    }

    /// <summary>Invalidations may be lost from now on: stop serving and forget everything.</summary>
    public void Suspend()
    {
        MoveEpoch(toLive: false);
        _entries.Clear();
    }

    /// <summary>Invalidations arrive again: start keeping entries read from now on.</summary>
    public void Resume()
    {
        if (!IsLive)
        {
            _entries.Clear();
            MoveEpoch(toLive: true);
        }
    }

    public void Dispose() => _entries.Dispose();

    /// <summary>Steps the epoch to the next live (even) or suspended (odd) value, once, however many threads race.</summary>
    private void MoveEpoch(bool toLive)
    {
        long current;
        do
        {
            current = Interlocked.Read(ref _epoch);
            if (((current & 1) == 0) == toLive)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _epoch, current + 1, current) != current);
    }

    private bool StillValid(ReadToken token, Guid id) =>
        (token.Epoch & 1) == 0
        && Interlocked.Read(ref _epoch) == token.Epoch
        && Interlocked.Read(ref _stripes[Stripe(id)]) == token.Stripe;

    private static int Stripe(Guid id) => id.GetHashCode() & (StripeCount - 1);

    public readonly record struct ReadToken(long Epoch, long Stripe);
}
