using Confluent.Kafka;

namespace Go1.Kafka;

/// <summary>
/// Settings of a Kafka producer, bound from <c>Aspire:Confluent:Kafka:Producer</c> and
/// <c>ConnectionStrings:{name}</c> (the bootstrap servers), as Aspire.Confluent.Kafka does.
/// </summary>
public sealed class KafkaProducerSettings : IKafkaClientSettings
{
    public const string SectionName = "Aspire:Confluent:Kafka:Producer";

    /// <summary>Bootstrap servers, <c>host:port[,host:port]</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>librdkafka producer configuration; the connection string wins over <c>BootstrapServers</c>.</summary>
    public ProducerConfig Config { get; set; } = new();

    public bool DisableHealthChecks { get; set; }

    ClientConfig IKafkaClientSettings.ClientConfig => Config;
}
