namespace Go1.Tests.ServiceDefaults;

/// <summary>The Kafka test peer's fault injection does what tests rely on it for.</summary>
public sealed class KafkaFaultInjectionTests
{
    [Fact]
    public async Task Injected_produce_errors_reach_the_client_and_retriable_ones_are_retried()
    {
        await using var kafka = new KafkaMockCluster();
        await kafka.InitializeAsync();
        kafka.CreateTopic("faults");
        const short produceApi = 0;
        const int messageTooLarge = 10;
        const int notLeaderForPartition = 6;

        using var producer = new ProducerBuilder<string, string>(new ProducerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            EnableIdempotence = true,
            RetryBackoffMs = 10,
        }).SetLogHandler((_, _) => { }).Build();

        kafka.PushRequestErrors(produceApi, messageTooLarge);
        var refused = await Assert.ThrowsAsync<ProduceException<string, string>>(() =>
            producer.ProduceAsync("faults", new Message<string, string> { Key = "k", Value = "refused" }, TestContext.Current.CancellationToken));
        Assert.Equal(ErrorCode.MsgSizeTooLarge, refused.Error.Code);

        kafka.PushRequestErrors(produceApi, notLeaderForPartition, notLeaderForPartition);
        var result = await producer.ProduceAsync("faults", new Message<string, string> { Key = "k", Value = "v" }, TestContext.Current.CancellationToken);

        Assert.Equal(PersistenceStatus.Persisted, result.Status);
        var read = Go1.Tests.Messaging.TopicReader.ReadUntil(kafka.BootstrapServers, "faults", r => r.Count >= 1, TimeSpan.FromSeconds(20));
        Assert.Single(read);
    }
}
