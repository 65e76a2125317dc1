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

    public Task<CatalogEntry?> FindAsync(string serviceId, CancellationToken cancellationToken) =>
        FindAsync(serviceId, ct => inner.FindAsync(serviceId, ct), cancellationToken);

    // Numeric keys cannot collide with slugs: a slug is never all digits with this prefix.
    public Task<CatalogEntry?> FindByGoIdAsync(int goId, CancellationToken cancellationToken) =>
        FindAsync($"#go:{goId}", ct => inner.FindByGoIdAsync(goId, ct), cancellationToken);

    private async Task<CatalogEntry?> FindAsync(string key, Func<CancellationToken, Task<CatalogEntry?>> find, CancellationToken cancellationToken)
    {
        if (_entries.TryGetValue(key, out var cached) && cached.Expires > clock.GetUtcNow())
        {
            return cached.Entry;
        }

        var entry = await find(cancellationToken);
        if (entry is not null)
        {
            _entries[key] = (entry, clock.GetUtcNow() + TimeToLive);
        }

        return entry;
    }
}
