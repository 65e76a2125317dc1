using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Go1.Kafka;

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

    /// <summary>Properties librdkafka applies to consumers only: an admin client (a producer handle) would warn about each.</summary>
    private static readonly string[] ConsumerOnly =
    [
        "group.", "partition.assignment.strategy", "session.timeout.ms", "heartbeat.interval.ms", "coordinator.query.interval.ms",
        "max.poll.interval.ms", "enable.auto.commit", "auto.commit.interval.ms", "enable.auto.offset.store", "queued.", "fetch.",
        "max.partition.fetch.bytes", "offset.store.method", "isolation.level", "enable.partition.eof", "check.crcs",
        "allow.auto.create.topics", "auto.offset.reset", "consume.callback.max.messages", "dotnet.consumer.",
    ];

    /// <summary>An admin client for the same cluster (e.g. to provision topics), with the consumer's connection and security settings.</summary>
    public IAdminClient CreateAdminClient() =>
        new AdminClientBuilder(AdminConfig())
            .SetLogHandler((_, message) => KafkaLogBridge.Forward(logger, message))
            .Build();

    /// <summary>The consumer's configuration without its consumer-only properties: brokers, SASL, SSL and the rest carry over.</summary>
    public AdminClientConfig AdminConfig() =>
        new(settings.Config.Where(p => !ConsumerOnly.Any(prefix => p.Key.StartsWith(prefix, StringComparison.Ordinal)))
            .ToDictionary(p => p.Key, p => p.Value));
}
