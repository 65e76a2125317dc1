using Confluent.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Go1.OrderApi.Outbox;

public static class OutboxRelaySetup
{
    /// <summary>The Kafka producer the relay publishes with, and the relay itself.</summary>
    public static IHostApplicationBuilder AddOutboxRelay(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddKafkaProducer<string, byte[]>(ConnectionNames.Kafka, settings =>
        {
            // Idempotent and fully acknowledged; give up on a message after 30 s so a long outage
            // surfaces as a failed round (the row stays unpublished and is retried), not a hung relay.
            settings.Config.EnableIdempotence ??= true;
            settings.Config.Acks ??= Acks.All;
            settings.Config.MessageTimeoutMs ??= 30_000;
            // The relay hands librdkafka a whole batch at once, so lingering only adds latency (bench/README.md).
            settings.Config.LingerMs ??= 0;
        });
        // Orders are accepted while Kafka is down (the outbox keeps their events), so a broker outage
        // makes the API Degraded — visible on /health, but still ready to take traffic.
        builder.Services.PostConfigure<HealthCheckServiceOptions>(health =>
        {
            foreach (var registration in health.Registrations.Where(r => r.Tags.Contains("kafka")))
            {
                registration.FailureStatus = HealthStatus.Degraded;
            }
        });
        builder.Services.AddOptions<OutboxRelayOptions>()
            .Bind(builder.Configuration.GetSection(OutboxRelayOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<OutboxMetrics>();
        builder.Services.AddSingleton<OutboxRelay>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<OutboxRelay>());
        return builder;
    }
}
