using System.ComponentModel.DataAnnotations;

namespace Go1.CdcSync;

/// <summary>The <c>CdcSync</c> configuration section.</summary>
public sealed class CdcSyncOptions
{
    public const string SectionName = "CdcSync";

    /// <summary>Where changes come from: <c>Postgres</c> (default) or <c>Debezium</c>.</summary>
    public ChangeSourceKind Source { get; set; } = ChangeSourceKind.Postgres;

    /// <summary>First wait before reconnecting a broken source or retrying a failed cache write; doubles up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>While another replica streams the slot, how often this one asks whether it may take over.</summary>
    public TimeSpan StandbyPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The Debezium topic: <c>{topic.prefix}.public.orders</c> of <c>debezium/connector.json</c>.</summary>
    [Required]
    public string DebeziumTopic { get; set; } = "go1.public.orders";
}
