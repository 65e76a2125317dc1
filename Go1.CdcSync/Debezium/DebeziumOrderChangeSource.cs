using Go1.Messaging;
using Microsoft.Extensions.Options;

namespace Go1.CdcSync.Debezium;

/// <summary>
/// Order changes from Debezium's topic, through the same consume loop as every other topic: an offset moves
/// only after the change is in the cache, and a record that cannot be read is parked in <c>{topic}.dlq</c>
/// instead of stopping the stream.
/// </summary>
public sealed class DebeziumOrderChangeSource(IServiceProvider services, IOptions<CdcSyncOptions> options) : IOrderChangeSource
{
    public string Name => "debezium";

    public Task RunAsync(Func<IReadOnlyList<OrderChange>, CancellationToken, Task> apply, Action streaming, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(streaming);
        var handler = new Handler(options.Value.DebeziumTopic, apply);
        var consumer = ActivatorUtilities.CreateInstance<TopicConsumer>(services, handler);
        // Debezium took the snapshot; the consumer streams once the group has given it the topic's partitions
        // and resumes from the committed offsets. Until then the worker is Degraded ("connecting").
        return consumer.RunAsync(cancellationToken, assigned: streaming);
    }

    /// <summary>Records fetched together are projected together: one Redis round trip for the lot (see <see cref="IBatchMessageHandler"/>).</summary>
    private sealed class Handler(string topic, Func<IReadOnlyList<OrderChange>, CancellationToken, Task> apply) : IBatchMessageHandler
    {
        public string Topic => topic;

        public Task HandleAsync(Confluent.Kafka.ConsumeResult<string, byte[]> message, CancellationToken cancellationToken) =>
            HandleBatchAsync([message], cancellationToken);

        public Task HandleBatchAsync(IReadOnlyList<Confluent.Kafka.ConsumeResult<string, byte[]>> messages, CancellationToken cancellationToken)
        {
            var changes = messages.Select(Decode).OfType<OrderChange>().ToList();
            return changes.Count == 0 ? Task.CompletedTask : apply(changes, cancellationToken);
        }

        private static OrderChange? Decode(Confluent.Kafka.ConsumeResult<string, byte[]> message)
        {
            try
            {
                return DebeziumOrderEnvelope.Decode(message.Message.Value);
            }
            catch (FormatException ex)
            {
                throw new PoisonMessageException($"Not a readable Debezium orders record: {ex.Message}", ex);
            }
        }
    }
}
