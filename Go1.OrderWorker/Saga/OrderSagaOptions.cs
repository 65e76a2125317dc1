using System.ComponentModel.DataAnnotations;

namespace Go1.OrderWorker.Saga;

/// <summary>The <c>Saga</c> section. The Temporal namespace and address come from the client (<c>Aspire:Temporal:Client</c>, <c>ConnectionStrings:temporal</c>).</summary>
public sealed class OrderSagaOptions
{
    public const string SectionName = "Saga";

    [Required]
    public string TaskQueue { get; set; } = OrderWorkflowContract.DefaultTaskQueue;

    /// <summary>How long an assigned ride may last before the saga gives up on it (RIDE_TIMED_OUT).</summary>
    public TimeSpan MaxRideDuration { get; set; } = TimeSpan.FromHours(4);

    /// <summary>Whether this process polls the task queue (it still starts and signals workflows when false).</summary>
    public bool WorkerEnabled { get; set; } = true;
}
