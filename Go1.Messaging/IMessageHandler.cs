using Confluent.Kafka;

namespace Go1.Messaging;

/// <summary>
/// Handles the messages of one topic. Return normally when done (or when the message is not ours to act on);
/// throw <see cref="PoisonMessageException"/> for a message that can never succeed, anything else to retry it.
/// Handlers must be idempotent: delivery is at least once.
/// </summary>
public interface IMessageHandler
{
    string Topic { get; }

    Task HandleAsync(ConsumeResult<string, byte[]> message, CancellationToken cancellationToken);
}
