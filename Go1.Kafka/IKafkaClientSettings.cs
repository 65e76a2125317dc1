using Confluent.Kafka;

namespace Go1.Kafka;

/// <summary>What producer and consumer settings share: how they are bound and checked is one piece of code.</summary>
internal interface IKafkaClientSettings
{
    string? ConnectionString { get; set; }

    ClientConfig ClientConfig { get; }

    bool DisableHealthChecks { get; }
}
