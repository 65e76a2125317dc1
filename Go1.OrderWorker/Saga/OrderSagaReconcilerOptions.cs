using System.ComponentModel.DataAnnotations;

namespace Go1.OrderWorker.Saga;

/// <summary>The <c>Saga:Reconciler</c> section.</summary>
public sealed class OrderSagaReconcilerOptions
{
    public const string SectionName = "Saga:Reconciler";

    public bool Enabled { get; set; } = true;

    /// <summary>Time between sweeps. Each sweep reads every open order once (a scan of the non-final orders).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How old an order must be before its missing workflow counts as lost rather than about to start.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan Grace { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Orders read per query.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 500;
}
