using Go1.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Go1.AppHost.Kafka;

/// <summary>
/// Our Kafka hosting integration, modelled on Aspire.Hosting.Kafka (not served by this machine's
/// package source): a KRaft broker with a host listener and an internal listener, a health check,
/// and an optional Kafka UI.
/// </summary>
public static class KafkaHostingExtensions
{
    public const string Image = "confluentinc/confluent-local";
    public const string Tag = "8.1.1";
    public const string UiImage = "kafbat/kafka-ui";
    public const string UiTag = "v1.4.2";

    public static IResourceBuilder<KafkaServerResource> AddKafka(this IDistributedApplicationBuilder builder, string name, int? port = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var kafka = new KafkaServerResource(name);

        string? connectionString = null;
        builder.Eventing.Subscribe<ConnectionStringAvailableEvent>(kafka, async (_, ct) =>
            connectionString = await kafka.ConnectionStringExpression.GetValueAsync(ct).ConfigureAwait(false));

        var healthCheckKey = $"{name}_check";
        // The services' own Kafka check, kept (with its admin client) for the AppHost's life.
        builder.Services.AddKeyedSingleton(healthCheckKey, (_, _) => new KafkaHealthCheck(() => connectionString));
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            healthCheckKey,
            sp => sp.GetRequiredKeyedService<KafkaHealthCheck>(healthCheckKey),
            failureStatus: null,
            tags: null));

        return builder.AddResource(kafka)
            .WithEndpoint(targetPort: KafkaServerResource.PrimaryTargetPort, port: port, name: KafkaServerResource.PrimaryEndpointName)
            .WithEndpoint(targetPort: KafkaServerResource.InternalTargetPort, name: KafkaServerResource.InternalEndpointName)
            .WithImage(Image, Tag)
            .WithImageRegistry("docker.io")
            .WithEnvironment(context => ConfigureListeners(context, kafka))
            .WithHealthCheck(healthCheckKey);
    }

    /// <summary>Adds a Kafka UI container pointed at the broker's internal listener.</summary>
    public static IResourceBuilder<KafkaServerResource> WithKafkaUI(this IResourceBuilder<KafkaServerResource> builder, string name)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ApplicationBuilder.AddContainer(name, UiImage, UiTag)
            .WithImageRegistry("docker.io")
            .WithHttpEndpoint(port: 8088, targetPort: 8080, name: "http")
            .WithEnvironment("KAFKA_CLUSTERS_0_NAME", builder.Resource.Name)
            .WithEnvironment("KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS", builder.Resource.InternalEndpoint.Property(EndpointProperty.HostAndPort))
            .WithReferenceRelationship(builder.Resource)
            .WaitFor(builder);
        return builder;
    }

    private static void ConfigureListeners(EnvironmentCallbackContext context, KafkaServerResource kafka)
    {
        context.EnvironmentVariables["KAFKA_LISTENERS"] =
            $"PLAINTEXT://localhost:29092,CONTROLLER://localhost:29093,PLAINTEXT_HOST://0.0.0.0:{KafkaServerResource.PrimaryTargetPort},PLAINTEXT_INTERNAL://0.0.0.0:{KafkaServerResource.InternalTargetPort}";
        context.EnvironmentVariables["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"] =
            "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,PLAINTEXT_HOST:PLAINTEXT,PLAINTEXT_INTERNAL:PLAINTEXT";
        // Host clients reach the broker through the published port; containers through its name.
        context.EnvironmentVariables["KAFKA_ADVERTISED_LISTENERS"] = ReferenceExpression.Create(
            $"PLAINTEXT://localhost:29092,PLAINTEXT_HOST://localhost:{kafka.PrimaryEndpoint.Property(EndpointProperty.Port)},PLAINTEXT_INTERNAL://{kafka.Name}:{KafkaServerResource.InternalTargetPort.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
    }
}
