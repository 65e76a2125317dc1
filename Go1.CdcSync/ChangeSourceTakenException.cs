namespace Go1.CdcSync;

/// <summary>
/// Another instance streams this change source (a replication slot serves one reader at a time): this one stands by,
/// asking again shortly, and takes over as soon as the other lets go.
/// </summary>
public sealed class ChangeSourceTakenException(string message, Exception? innerException = null) : Exception(message, innerException);
