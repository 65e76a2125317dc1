namespace Go1.OrderWorker.Saga;

/// <summary>What the workflow's <c>GetState</c> query answers: where the saga is and what it holds.</summary>
public sealed record OrderWorkflowState(string Status, string? SubStatus, Party? Driver, string? Payment, IReadOnlyList<string> PendingCompensations);
