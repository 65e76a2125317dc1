namespace Go1.Messaging;

/// <summary>The message cannot be understood; retrying cannot help, so it goes straight to the DLQ.</summary>
public sealed class PoisonMessageException(string message, Exception? innerException = null) : Exception(message, innerException);
