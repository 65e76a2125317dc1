using System.ComponentModel.DataAnnotations;

namespace Go1.Orders.Infrastructure.Cache;

/// <summary>The <c>OrderCache:Near</c> configuration section: OrderApi's in-process copy of hot cache entries.</summary>
public sealed class NearCacheOptions
{
    /// <summary>Off: every read goes to Redis.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The longest an entry is kept. Invalidations evict changed orders at once; this only bounds how long
    /// an entry lives if one were lost without the connection failing.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan TimeToLive { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>At most this many orders are kept; beyond it new entries are not kept until expiry makes room.</summary>
    [Range(1, 10_000_000)]
    public long MaxEntries { get; set; } = 100_000;
}
