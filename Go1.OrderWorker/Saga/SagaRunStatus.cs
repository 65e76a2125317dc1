namespace Go1.OrderWorker.Saga;

/// <summary>Whether an order's workflow exists, and if so how it stands (Temporal's execution statuses).</summary>
public enum SagaRunStatus
{
    None,
    Running,
    Completed,
    Failed,
    Canceled,
    Terminated,
    TimedOut,
    ContinuedAsNew,
}
