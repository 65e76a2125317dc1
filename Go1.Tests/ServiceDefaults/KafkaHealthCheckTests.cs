using Go1.Kafka;

namespace Go1.Tests.ServiceDefaults;

/// <summary>The one Kafka check the services and the AppHost share, against the Kafka protocol peer.</summary>
public sealed class KafkaHealthCheckTests(KafkaMockCluster kafka)
{
    private static HealthCheckContext Context(HealthStatus failure = HealthStatus.Unhealthy) =>
        new() { Registration = new HealthCheckRegistration("kafka", _ => null!, failure, tags: null) };

    [Fact]
    public async Task Servers_that_become_known_later_are_checked_then()
    {
        // The AppHost's case: the broker's connection string arrives after the first checks have run.
        string? servers = null;
        using var check = new KafkaHealthCheck(() => servers);

        var before = await check.CheckHealthAsync(Context(), TestContext.Current.CancellationToken);
        servers = kafka.BootstrapServers;
        var after = await check.CheckHealthAsync(Context(), TestContext.Current.CancellationToken);

        Assert.Equal((HealthStatus.Unhealthy, "Kafka bootstrap servers not known yet."), (before.Status, before.Description));
        Assert.Equal(HealthStatus.Healthy, after.Status);
    }

    [Fact]
    public async Task A_switched_off_check_is_healthy()
    {
        using var check = new KafkaHealthCheck(() => null, healthyWithoutServers: true);

        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(Context(), TestContext.Current.CancellationToken)).Status);
    }

    [Fact]
    public async Task A_cluster_that_does_not_answer_reports_the_registrations_failure_status()
    {
        using var check = new KafkaHealthCheck(() => "127.0.0.1:1");

        var result = await check.CheckHealthAsync(Context(HealthStatus.Degraded), TestContext.Current.CancellationToken);

        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.IsType<Confluent.Kafka.KafkaException>(result.Exception);
    }
}
