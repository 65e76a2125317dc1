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

    /// <summary>
    /// The memory the entries may take, in MiB; beyond it new entries are not kept until expiry makes room.
    /// An entry is counted as three times its JSON (the parsed document and its rendered body, as measured).
    /// </summary>
    [Range(1, 65_536)]
    public int MaxMegabytes { get; set; } = 32;
}
