using Confluent.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Go1.Kafka;

/// <summary>
/// Healthy when the cluster answers a metadata request and names at least one broker; used by the services for
/// their clients and by the AppHost for the broker resource. <paramref name="bootstrapServers"/> yields null while
/// the servers are not known (the AppHost before the broker's connection string exists) or when the check is
/// switched off (<paramref name="healthyWithoutServers"/>).
/// </summary>
public sealed class KafkaHealthCheck(Func<string?> bootstrapServers, bool healthyWithoutServers = false) : IHealthCheck, IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);
    private readonly Lock _gate = new();
    private (string Servers, IAdminClient Client)? _admin;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (bootstrapServers() is not { } servers)
        {
            return Task.FromResult(healthyWithoutServers
                ? HealthCheckResult.Healthy("Kafka health check disabled.")
                : new HealthCheckResult(context.Registration.FailureStatus, "Kafka bootstrap servers not known yet."));
        }

        // GetMetadata blocks; keep it off the request thread.
        return Task.Run(() =>
        {
            try
            {
                var metadata = Admin(servers).GetMetadata(Timeout);
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
    }

    /// <summary>One admin client per set of servers, kept between checks.</summary>
    private IAdminClient Admin(string servers)
    {
        lock (_gate)
        {
            if (_admin is { } current && current.Servers == servers)
            {
                return current.Client;
            }

            _admin?.Client.Dispose();
            var client = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = servers, SocketTimeoutMs = (int)Timeout.TotalMilliseconds })
                .SetLogHandler((_, _) => { })
                .Build();
            _admin = (servers, client);
            return client;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _admin?.Client.Dispose();
            _admin = null;
        }
    }
}
