namespace Go1.Orders.Application.Ports;

/// <summary>The transactional outbox, as the relay sees it.</summary>
public interface IOutbox
{
    /// <summary>
    /// Locks up to <paramref name="max"/> unpublished messages, oldest first, skipping rows another relay
    /// holds. The lock lasts until the batch is completed or disposed; disposing without completing
    /// releases the rows unchanged, so a crash mid-batch loses nothing.
    /// </summary>
    Task<IOutboxBatch> ClaimAsync(int max, CancellationToken cancellationToken);

    /// <summary>Waits until a new message is committed or <paramref name="timeout"/> passes.</summary>
    Task WaitForMessagesAsync(TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Unpublished messages, the age of the oldest, and how many are parked.</summary>
    Task<OutboxBacklog> BacklogAsync(CancellationToken cancellationToken);
}

public interface IOutboxBatch : IAsyncDisposable
{
    IReadOnlyList<OutboxMessage> Messages { get; }

    /// <summary>
    /// Marks <paramref name="published"/> as sent and records the errors of <paramref name="failed"/>, then commits. A
    /// message refused <paramref name="maxRejections"/> times for its own sake is parked; returns the ids parked now.
    /// </summary>
    Task<IReadOnlyList<Guid>> CompleteAsync(IReadOnlyCollection<Guid> published, IReadOnlyDictionary<Guid, OutboxFailure> failed, int maxRejections,
        CancellationToken cancellationToken);
}

/// <summary>Why a message was not published: <see cref="Rejected"/> when the broker refused the message itself, not just failed to answer.</summary>
public sealed record OutboxFailure(string Error, bool Rejected);

public sealed record OutboxMessage(
    Guid EventId,
    Guid AggregateId,
    string EventType,
    string Topic,
    string Payload,
    string? TraceParent,
    string? TraceState,
    DateTimeOffset CreatedAt,
    int Attempts);

public sealed record OutboxBacklog(long Count, TimeSpan OldestAge, long Parked = 0);
