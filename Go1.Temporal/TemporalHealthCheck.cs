using Microsoft.Extensions.Diagnostics.HealthChecks;
using Temporalio.Client;

namespace Go1.Temporal;

/// <summary>Healthy when the Temporal frontend answers its gRPC health service.</summary>
internal sealed class TemporalHealthCheck(ITemporalClient client) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var healthy = await client.Connection.CheckHealthAsync(options: new RpcOptions
            {
                CancellationToken = cancellationToken,
                Timeout = TimeSpan.FromSeconds(3),
            });
            return healthy ? HealthCheckResult.Healthy() : new HealthCheckResult(context.Registration.FailureStatus, "Temporal frontend reports not serving.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "Temporal frontend unreachable.", ex);
        }
    }
}
