using System.Collections.Concurrent;
using Go1.Orders.Application.Ports;

namespace Go1.Orders.Infrastructure.Persistence;

/// <summary>
/// Keeps found catalogue entries for <see cref="TimeToLive"/>: every POST needs its service, and the
/// catalogue changes rarely. An operator's edit (e.g. disabling a service) applies within that time.
/// Misses are not cached, so unknown ids sent by clients cannot grow the cache.
/// </summary>
public sealed class CachedServiceCatalog(IServiceCatalog inner, TimeProvider clock) : IServiceCatalog
{
    public static readonly TimeSpan TimeToLive = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, (CatalogEntry Entry, DateTimeOffset Expires)> _entries = new(StringComparer.Ordinal);

    public async Task<CatalogEntry?> FindAsync(string serviceId, CancellationToken cancellationToken)
    {
        if (_entries.TryGetValue(serviceId, out var cached) && cached.Expires > clock.GetUtcNow())
        {
            return cached.Entry;
        }

        var entry = await inner.FindAsync(serviceId, cancellationToken);
        if (entry is not null)
        {
            _entries[serviceId] = (entry, clock.GetUtcNow() + TimeToLive);
        }

        return entry;
    }
}
