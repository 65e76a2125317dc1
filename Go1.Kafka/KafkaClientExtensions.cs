using Confluent.Kafka;
using Go1.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Our Kafka client integration, shaped like Aspire.Confluent.Kafka (which this machine's package
/// source does not serve): settings from configuration, validation at start, librdkafka logs in
/// <see cref="ILogger"/>, a health check per connection.
/// </summary>
public static class KafkaClientExtensions
{
    /// <summary>Registers <see cref="IProducer{TKey,TValue}"/> as a singleton built from <c>ConnectionStrings:{connectionName}</c>.</summary>
    public static IHostApplicationBuilder AddKafkaProducer<TKey, TValue>(
        this IHostApplicationBuilder builder,
        string connectionName,
        Action<KafkaProducerSettings>? configureSettings = null,
        Action<ProducerBuilder<TKey, TValue>>? configureBuilder = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionName);

        AddSettings(builder, connectionName, KafkaProducerSettings.SectionName, "producer", configureSettings);

        builder.Services.AddSingleton(sp =>
        {
            var settings = sp.GetRequiredService<IOptionsMonitor<KafkaProducerSettings>>().Get(connectionName);
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger($"Go1.Kafka.Producer.{connectionName}");
            var producerBuilder = new ProducerBuilder<TKey, TValue>(settings.Config)
                .SetLogHandler((_, message) => KafkaLogBridge.Forward(logger, message))
                .SetErrorHandler((_, error) => KafkaLogBridge.Forward(logger, error));
            configureBuilder?.Invoke(producerBuilder);
            return producerBuilder.Build();
        });

        AddHealthCheck<KafkaProducerSettings>(builder, connectionName, ProducerHealthCheckName);
        return builder;
    }

    /// <summary>
    /// Registers a <see cref="KafkaConsumerFactory{TKey,TValue}"/> built from <c>ConnectionStrings:{connectionName}</c>:
    /// each consume loop creates (and owns) its consumer.
    /// </summary>
    public static IHostApplicationBuilder AddKafkaConsumer<TKey, TValue>(
        this IHostApplicationBuilder builder,
        string connectionName,
        Action<KafkaConsumerSettings>? configureSettings = null,
        Action<ConsumerBuilder<TKey, TValue>>? configureBuilder = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionName);

        AddSettings(builder, connectionName, KafkaConsumerSettings.SectionName, "consumer", configureSettings)
            .Validate(s => !string.IsNullOrWhiteSpace(s.Config.GroupId),
                $"Kafka consumer '{connectionName}': set {KafkaConsumerSettings.SectionName}:Config:GroupId.");

        builder.Services.AddSingleton(sp => new KafkaConsumerFactory<TKey, TValue>(
            sp.GetRequiredService<IOptionsMonitor<KafkaConsumerSettings>>().Get(connectionName),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger($"Go1.Kafka.Consumer.{connectionName}"),
            configureBuilder));

        AddHealthCheck<KafkaConsumerSettings>(builder, connectionName, ConsumerHealthCheckName);
        return builder;
    }

    /// <summary>
    /// Binds <c>{sectionName}</c> and <c>ConnectionStrings:{connectionName}</c> (which wins for the bootstrap
    /// servers), applies <paramref name="configure"/> and validates at start that the servers are known.
    /// </summary>
    private static OptionsBuilder<TSettings> AddSettings<TSettings>(
        IHostApplicationBuilder builder, string connectionName, string sectionName, string kind, Action<TSettings>? configure)
        where TSettings : class, IKafkaClientSettings =>
        builder.Services.AddOptions<TSettings>(connectionName)
            .Configure<IConfiguration>((settings, configuration) =>
            {
                configuration.GetSection(sectionName).Bind(settings);
                settings.ConnectionString = configuration.GetConnectionString(connectionName) ?? settings.ConnectionString;
                if (!string.IsNullOrWhiteSpace(settings.ConnectionString))
                {
                    settings.ClientConfig.BootstrapServers = settings.ConnectionString;
                }

                configure?.Invoke(settings);
            })
            .Validate(s => !string.IsNullOrWhiteSpace(s.ClientConfig.BootstrapServers),
                $"Kafka {kind} '{connectionName}': set ConnectionStrings:{connectionName} (bootstrap servers, host:port) or {sectionName}:Config:BootstrapServers.")
            .ValidateOnStart();

    /// <summary>The health-check names Aspire.Confluent.Kafka registers, so dashboards and probes keep theirs when it replaces this project.</summary>
    public const string ProducerHealthCheckName = "Aspire.Confluent.Kafka.Producer";

    public const string ConsumerHealthCheckName = "Aspire.Confluent.Kafka.Consumer";

    /// <summary>
    /// One check per kind of client (producer, consumer) and connection, named as Aspire names it: the kind's name for
    /// the first connection, <c>{kind}_{connection}</c> for any other. The first client of a kind decides whether it is disabled.
    /// </summary>
    private static void AddHealthCheck<TSettings>(IHostApplicationBuilder builder, string connectionName, string kindName)
        where TSettings : class, IKafkaClientSettings
    {
        string? BootstrapServers(IServiceProvider sp) =>
            sp.GetRequiredService<IOptionsMonitor<TSettings>>().Get(connectionName) is { DisableHealthChecks: false } settings
                ? settings.ClientConfig.BootstrapServers
                : null;

        var markers = builder.Services.Where(d => d.ServiceType == typeof(KafkaHealthCheckMarker))
            .Select(d => (KafkaHealthCheckMarker)d.ImplementationInstance!).Where(m => m.Kind == kindName).ToList();
        if (markers.Any(m => m.Connection == connectionName))
        {
            return;
        }

        var checkName = markers.Count == 0 ? kindName : $"{kindName}_{connectionName}";
        builder.Services.AddSingleton(new KafkaHealthCheckMarker(kindName, connectionName));
        builder.Services.AddKeyedSingleton(checkName, (sp, _) => new KafkaHealthCheck(() => BootstrapServers(sp), healthyWithoutServers: true));
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            checkName,
            sp => sp.GetRequiredKeyedService<KafkaHealthCheck>(checkName),
            failureStatus: null,
            tags: ["ready", "kafka"]));
    }

    private sealed record KafkaHealthCheckMarker(string Kind, string Connection);
}
