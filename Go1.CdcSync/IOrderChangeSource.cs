namespace Go1.CdcSync;

/// <summary>
/// A stream of committed order changes (Debezium's topic, or PostgreSQL logical replication), handed over in batches.
/// Changes of one order arrive in commit order; a change is acknowledged to its origin only after the <c>apply</c>
/// of its batch has returned, so a crash replays it rather than losing it.
/// </summary>
public interface IOrderChangeSource
{
    /// <summary>Names the source in logs and metrics (<c>postgres</c>, <c>debezium</c>).</summary>
    string Name { get; }

    /// <summary>
    /// Streams changes to <paramref name="apply"/> until cancelled; throws when the stream breaks (the caller reconnects).
    /// Calls <paramref name="streaming"/> once connected and done with any initial snapshot: from then on the
    /// cache follows live changes.
    /// </summary>
    Task RunAsync(Func<IReadOnlyList<OrderChange>, CancellationToken, Task> apply, Action streaming, CancellationToken cancellationToken);
}
