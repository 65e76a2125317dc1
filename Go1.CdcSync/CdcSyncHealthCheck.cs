using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Go1.CdcSync;

/// <summary>Degraded while the source is not streaming or the cache refuses writes (reads still work: they fall back to PostgreSQL).</summary>
public sealed class CdcSyncHealthCheck(CdcSyncStatus status) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(status.Problem is { } problem ? HealthCheckResult.Degraded(problem) : HealthCheckResult.Healthy());
}
