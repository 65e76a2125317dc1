using Confluent.Kafka;

namespace Go1.Kafka;

/// <summary>
/// Settings of a Kafka consumer, bound from <c>Aspire:Confluent:Kafka:Consumer</c> and
/// <c>ConnectionStrings:{name}</c> (the bootstrap servers). <c>Config:GroupId</c> is required.
/// </summary>
public sealed class KafkaConsumerSettings : IKafkaClientSettings
{
    public const string SectionName = "Aspire:Confluent:Kafka:Consumer";

    /// <summary>Bootstrap servers, <c>host:port[,host:port]</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>librdkafka consumer configuration; the connection string wins over <c>BootstrapServers</c>.</summary>
    public ConsumerConfig Config { get; set; } = new();

    public bool DisableHealthChecks { get; set; }

    ClientConfig IKafkaClientSettings.ClientConfig => Config;
}
