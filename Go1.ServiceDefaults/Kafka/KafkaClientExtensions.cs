using Confluent.Kafka;
using Go1.ServiceDefaults.Kafka;
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

        builder.Services.AddOptions<KafkaProducerSettings>(connectionName)
            .Configure<IConfiguration>((settings, configuration) =>
            {
                configuration.GetSection(KafkaProducerSettings.SectionName).Bind(settings);
                settings.ConnectionString = configuration.GetConnectionString(connectionName) ?? settings.ConnectionString;
                if (!string.IsNullOrWhiteSpace(settings.ConnectionString))
                {
                    settings.Config.BootstrapServers = settings.ConnectionString;
                }

                configureSettings?.Invoke(settings);
            })
            .Validate(s => !string.IsNullOrWhiteSpace(s.Config.BootstrapServers),
                $"Kafka producer '{connectionName}': set ConnectionStrings:{connectionName} (bootstrap servers, host:port) or {KafkaProducerSettings.SectionName}:Config:BootstrapServers.")
            .ValidateOnStart();

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

        AddHealthCheck(builder, connectionName, sp => sp.GetRequiredService<IOptionsMonitor<KafkaProducerSettings>>().Get(connectionName) is var s && !s.DisableHealthChecks ? s.Config.BootstrapServers : null);
        return builder;
    }

    /// <summary>
    /// Registers <see cref="IConsumer{TKey,TValue}"/> as a singleton built from <c>ConnectionStrings:{connectionName}</c>,
    /// and a <see cref="KafkaConsumerFactory{TKey,TValue}"/> for services that run one consumer per loop.
    /// </summary>
    public static IHostApplicationBuilder AddKafkaConsumer<TKey, TValue>(
        this IHostApplicationBuilder builder,
        string connectionName,
        Action<KafkaConsumerSettings>? configureSettings = null,
        Action<ConsumerBuilder<TKey, TValue>>? configureBuilder = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionName);

        builder.Services.AddOptions<KafkaConsumerSettings>(connectionName)
            .Configure<IConfiguration>((settings, configuration) =>
            {
                configuration.GetSection(KafkaConsumerSettings.SectionName).Bind(settings);
                settings.ConnectionString = configuration.GetConnectionString(connectionName) ?? settings.ConnectionString;
                if (!string.IsNullOrWhiteSpace(settings.ConnectionString))
                {
                    settings.Config.BootstrapServers = settings.ConnectionString;
                }

                configureSettings?.Invoke(settings);
            })
            .Validate(s => !string.IsNullOrWhiteSpace(s.Config.BootstrapServers),
                $"Kafka consumer '{connectionName}': set ConnectionStrings:{connectionName} (bootstrap servers, host:port) or {KafkaConsumerSettings.SectionName}:Config:BootstrapServers.")
            .Validate(s => !string.IsNullOrWhiteSpace(s.Config.GroupId),
                $"Kafka consumer '{connectionName}': set {KafkaConsumerSettings.SectionName}:Config:GroupId.")
            .ValidateOnStart();

        builder.Services.AddSingleton(sp => new KafkaConsumerFactory<TKey, TValue>(
            sp.GetRequiredService<IOptionsMonitor<KafkaConsumerSettings>>().Get(connectionName),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger($"Go1.Kafka.Consumer.{connectionName}"),
            configureBuilder));
        builder.Services.AddSingleton(sp => sp.GetRequiredService<KafkaConsumerFactory<TKey, TValue>>().Create());

        AddHealthCheck(builder, connectionName, sp => sp.GetRequiredService<IOptionsMonitor<KafkaConsumerSettings>>().Get(connectionName) is var s && !s.DisableHealthChecks ? s.Config.BootstrapServers : null);
        return builder;
    }

    /// <summary>One check per connection name, however many clients share it; disabled when every client says so.</summary>
    private static void AddHealthCheck(IHostApplicationBuilder builder, string connectionName, Func<IServiceProvider, string?> bootstrapServers)
    {
        var checkName = $"kafka-{connectionName}";
        var marker = new KafkaHealthCheckMarker(checkName);
        if (builder.Services.Any(d => d.ServiceType == typeof(KafkaHealthCheckMarker) && Equals(d.ImplementationInstance, marker)))
        {
            return;
        }

        builder.Services.AddSingleton(marker);
        builder.Services.AddKeyedSingleton(checkName, (sp, _) => new KafkaHealthCheck(() => bootstrapServers(sp)));
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            checkName,
            sp => sp.GetRequiredKeyedService<KafkaHealthCheck>(checkName),
            failureStatus: null,
            tags: ["ready", "kafka"]));
    }

    private sealed record KafkaHealthCheckMarker(string Name);
}
