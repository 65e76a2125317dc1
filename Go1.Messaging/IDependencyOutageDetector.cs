namespace Go1.Messaging;

/// <summary>
/// Tells a dependency outage (a database, Temporal, a cache that does not answer) from a failure of the message
/// itself. An outage is no message's fault: the consume loop holds the partition and retries the same message in
/// place, instead of moving it towards the DLQ. Services register one for the failures their handlers can meet.
/// </summary>
public interface IDependencyOutageDetector
{
    bool IsOutage(Exception exception);
}
