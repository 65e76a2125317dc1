using System.Collections.Concurrent;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Go1.Messaging;

/// <summary>
/// Degraded while any consume loop holds a partition because a dependency is down (the messages wait in place,
/// nothing is lost); Healthy otherwise.
/// </summary>
public sealed class ConsumerHealth : IHealthCheck
{
    private readonly ConcurrentDictionary<(string Topic, int Partition), string> _held = new();

    public void Held(string topic, int partition, string reason) => _held[(topic, partition)] = reason;

    public void Released(string topic, int partition) => _held.TryRemove((topic, partition), out _);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var held = _held.ToArray();
        return Task.FromResult(held.Length == 0
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Degraded("waiting for a dependency: " + string.Join("; ", held.Select(h => $"{h.Key.Topic}[{h.Key.Partition}]: {h.Value}"))));
    }
}
