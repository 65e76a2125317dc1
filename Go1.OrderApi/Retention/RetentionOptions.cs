using System.ComponentModel.DataAnnotations;

namespace Go1.OrderApi.Retention;

/// <summary>The <c>Retention</c> section: how long rows kept only for a while live.</summary>
public sealed class RetentionOptions
{
    public const string SectionName = "Retention";

    public bool Enabled { get; set; } = true;

    /// <summary>Published outbox messages are deleted once published longer ago than this.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan PublishedOutbox { get; set; } = TimeSpan.FromHours(24);

    /// <summary>An Idempotency-Key replays its order for at least this long; after that it is deleted and may be reused.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan IdempotencyKeys { get; set; } = TimeSpan.FromHours(24);

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);
}
