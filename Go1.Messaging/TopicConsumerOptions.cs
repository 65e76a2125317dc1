using System.ComponentModel.DataAnnotations;

namespace Go1.Messaging;

/// <summary>
/// Retry policy of one topic, bound from <c>Messaging:Topics:{topic}</c> over <c>Messaging:Defaults</c>
/// (defaults as in the Go system: 3 attempts, 2 s apart).
/// </summary>
public sealed class TopicConsumerOptions
{
    public const string DefaultsSection = "Messaging:Defaults";
    public const string TopicsSection = "Messaging:Topics";

    /// <summary>Handling attempts in all, the first included, before a message is parked in the DLQ.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Wait before retry n is <c>RetryBackoff × 2^(n-1)</c>, at most <see cref="MaxRetryBackoff"/>.</summary>
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest wait before a retry, however many attempts were made.</summary>
    public TimeSpan MaxRetryBackoff { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Wait before the same message is tried again while a dependency is down: doubling from this, at most <see cref="MaxOutageBackoff"/>.</summary>
    public TimeSpan OutageBackoff { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxOutageBackoff { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan BackoffFor(int attemptsMade) => ServiceDefaults.RetryBackoff.After(attemptsMade, RetryBackoff, MaxRetryBackoff);

    public TimeSpan OutageBackoffFor(int failures) => ServiceDefaults.RetryBackoff.After(failures, OutageBackoff, MaxOutageBackoff);
}
