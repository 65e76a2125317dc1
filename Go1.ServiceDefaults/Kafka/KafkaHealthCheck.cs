using Confluent.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Go1.ServiceDefaults.Kafka;

/// <summary>
/// Healthy when the cluster answers a metadata request and names at least one broker.
/// <paramref name="bootstrapServers"/> yields null when the health check is disabled.
/// </summary>
internal sealed class KafkaHealthCheck(Func<string?> bootstrapServers) : IHealthCheck, IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);
    private readonly Lazy<IAdminClient?> _admin = new(() => bootstrapServers() is { } servers
        ? new AdminClientBuilder(new AdminClientConfig
        {
            BootstrapServers = servers,
            SocketTimeoutMs = (int)Timeout.TotalMilliseconds,
        }).SetLogHandler((_, _) => { }).Build()
        : null);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        // GetMetadata blocks; keep it off the request thread.
        Task.Run(() =>
        {
            try
            {
                if (_admin.Value is not { } admin)
                {
                    return HealthCheckResult.Healthy("Kafka health check disabled.");
                }

                var metadata = admin.GetMetadata(Timeout);
                return metadata.Brokers.Count > 0
                    ? HealthCheckResult.Healthy()
                    : new HealthCheckResult(context.Registration.FailureStatus, "Kafka returned no brokers.");
            }
            catch (KafkaException ex)
            {
                // The registration decides how bad this is (Unhealthy by default, Degraded where Kafka is optional).
                return new HealthCheckResult(context.Registration.FailureStatus, "Kafka metadata request failed.", ex);
            }
        }, cancellationToken);

    public void Dispose()
    {
        if (_admin.IsValueCreated)
        {
            _admin.Value?.Dispose();
        }
    }
}
