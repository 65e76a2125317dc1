using System.ComponentModel.DataAnnotations;

namespace Go1.OrderApi.Outbox;

/// <summary>The <c>Outbox:Relay</c> configuration section.</summary>
public sealed class OutboxRelayOptions
{
    public const string SectionName = "Outbox:Relay";

    public bool Enabled { get; set; } = true;

    /// <summary>Messages claimed and published per round.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 200;

    /// <summary>Longest wait between rounds when no NOTIFY arrives (the fallback if notifications are lost).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Pause after a failed round (database or broker unreachable) before trying again.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Refusals of a message for its own sake (too large, ...) before it is parked.</summary>
    [Range(1, 1000)]
    public int MaxRejections { get; set; } = 5;

    /// <summary>How often the backlog gauges are refreshed.</summary>
    public TimeSpan BacklogInterval { get; set; } = TimeSpan.FromSeconds(5);
}
