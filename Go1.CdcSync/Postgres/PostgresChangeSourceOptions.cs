using System.ComponentModel.DataAnnotations;

namespace Go1.CdcSync.Postgres;

/// <summary>The <c>CdcSync:Postgres</c> section: where the pgoutput change source reads from.</summary>
public sealed class PostgresChangeSourceOptions
{
    public const string SectionName = "CdcSync:Postgres";

    /// <summary>The publication of <c>public.orders</c>; created when missing.</summary>
    [Required, RegularExpression("^[a-z_][a-z0-9_]{0,62}$")]
    public string Publication { get; set; } = "go1_cdcsync";

    /// <summary>The logical replication slot (cluster-wide name); created when missing, resumed after a restart.</summary>
    [Required, RegularExpression("^[a-z_][a-z0-9_]{0,62}$")]
    public string Slot { get; set; } = "go1_cdcsync";
}
