namespace Go1.Orders.Infrastructure.Cache;

/// <summary>The <c>OrderCache</c> configuration section.</summary>
public sealed class OrderCacheOptions
{
    public const string SectionName = "OrderCache";

    /// <summary>How long an order stays cached after its last write.</summary>
    public TimeSpan TimeToLive { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a deletion is remembered (it only needs to outlive late fills).</summary>
    public TimeSpan TombstoneTimeToLive { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>OrderApi's in-process copy of hot entries, evicted by invalidations.</summary>
    public NearCacheOptions Near { get; set; } = new();
}
