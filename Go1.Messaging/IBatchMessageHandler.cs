using Confluent.Kafka;

namespace Go1.Messaging;

/// <summary>
/// A handler that also takes the messages already fetched from its topic together (at most <see cref="MaxBatch"/>, in
/// consume order; never <c>.retry</c> messages), for one round trip to its store instead of one per message. A batch
/// is all or nothing as far as offsets go: they move only after <see cref="HandleBatchAsync"/> returns. When it throws,
/// the consumer hands the same messages to <see cref="IMessageHandler.HandleAsync"/> one by one, with the usual
/// retry, dead-letter and outage rules, so a batch may be applied in part and then again: handlers are idempotent.
/// </summary>
public interface IBatchMessageHandler : IMessageHandler
{
    /// <summary>The most messages handed over at once.</summary>
    int MaxBatch => 256;

    Task HandleBatchAsync(IReadOnlyList<ConsumeResult<string, byte[]>> messages, CancellationToken cancellationToken);
}
