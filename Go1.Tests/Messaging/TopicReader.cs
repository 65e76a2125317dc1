namespace Go1.Tests.Messaging;

/// <summary>Reads a topic from the beginning with a fresh consumer group, for assertions on what was published.</summary>
public static class TopicReader
{
    /// <summary>Consumes until <paramref name="done"/> holds for everything read so far (then a short grace period for duplicates) or the timeout passes.</summary>
    public static List<ConsumeResult<string, byte[]>> ReadUntil(
        string bootstrapServers, string topic, Func<IReadOnlyList<ConsumeResult<string, byte[]>>, bool> done, TimeSpan timeout, TimeSpan? grace = null)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = $"reader-{Guid.NewGuid():N}",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            FetchWaitMaxMs = 10,
            TopicMetadataRefreshIntervalMs = 500,
        }).SetLogHandler((_, _) => { }).SetErrorHandler((_, _) => { }).Build();
        consumer.Subscribe(topic);

        var results = new List<ConsumeResult<string, byte[]>>();
        var deadline = DateTime.UtcNow + timeout;
        DateTime? stopAt = null;
        while (DateTime.UtcNow < (stopAt ?? deadline))
        {
            ConsumeResult<string, byte[]>? result;
            try
            {
                result = consumer.Consume(TimeSpan.FromMilliseconds(100));
            }
            catch (ConsumeException ex) when (ex.Error.Code == ErrorCode.UnknownTopicOrPart)
            {
                continue; // not created yet
            }

            if (result is { IsPartitionEOF: false, Message: not null })
            {
                results.Add(result);
            }

            if (stopAt is null && done(results))
            {
                stopAt = DateTime.UtcNow + (grace ?? TimeSpan.FromSeconds(1));
            }
        }

        consumer.Close();
        return results;
    }

    public static string Header(this ConsumeResult<string, byte[]> result, string key) =>
        result.Message.Headers.TryGetLastBytes(key, out var bytes) ? System.Text.Encoding.UTF8.GetString(bytes) : string.Empty;
}
