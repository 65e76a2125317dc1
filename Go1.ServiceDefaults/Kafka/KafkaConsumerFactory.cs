using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Go1.ServiceDefaults.Kafka;

/// <summary>Builds consumers from the validated settings of one connection, each with librdkafka logs bridged to <see cref="ILogger"/>.</summary>
public sealed class KafkaConsumerFactory<TKey, TValue>(
    KafkaConsumerSettings settings,
    ILogger logger,
    Action<ConsumerBuilder<TKey, TValue>>? configureBuilder = null)
{
    /// <summary>A new consumer; <paramref name="adjust"/> changes a copy of the configuration (group id, offsets, ...).</summary>
    public IConsumer<TKey, TValue> Create(Action<ConsumerConfig>? adjust = null, Action<ConsumerBuilder<TKey, TValue>>? configure = null)
    {
        var config = new ConsumerConfig(new Dictionary<string, string>(settings.Config));
        adjust?.Invoke(config);
        var builder = new ConsumerBuilder<TKey, TValue>(config)
            .SetLogHandler((_, message) => KafkaLogBridge.Forward(logger, message))
            .SetErrorHandler((_, error) => KafkaLogBridge.Forward(logger, error));
        configureBuilder?.Invoke(builder);
        configure?.Invoke(builder);
        return builder.Build();
    }

    /// <summary>An admin client for the same cluster (e.g. to provision topics).</summary>
    public IAdminClient CreateAdminClient() =>
        new AdminClientBuilder(new AdminClientConfig { BootstrapServers = settings.Config.BootstrapServers })
            .SetLogHandler((_, message) => KafkaLogBridge.Forward(logger, message))
            .Build();
}
