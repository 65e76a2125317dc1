namespace Go1.Messaging;

/// <summary>
/// The message cannot be handled yet but may be later (it refers to something still on its way). It goes through
/// <c>.retry</c> with backoff, attempts notwithstanding, until <see cref="Window"/> has passed since it first failed;
/// only then to the DLQ.
/// </summary>
public sealed class RetryLaterException(string message, TimeSpan window, Exception? innerException = null) : Exception(message, innerException)
{
    public TimeSpan Window { get; } = window;
}
