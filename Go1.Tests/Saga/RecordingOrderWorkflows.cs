namespace Go1.Tests.Saga;

/// <summary>
/// The workflow port as a recorder, for tests of what drives the saga (handlers, consumers, the reconciler): every
/// start and signal is kept in arrival order with the trace it came in; a start of an order already started is
/// recorded but counted once, as Temporal's idempotent start would. With <see cref="SignalsNeedAStart"/>, a signal for
/// an order never started fails as Temporal's would.
/// </summary>
public sealed class RecordingOrderWorkflows : IOrderWorkflows
{
    public bool SignalsNeedAStart { get; init; }

    public sealed record RecordedCall(string Kind, Guid OrderId, string? Detail, string? TraceId)
    {
        public override string ToString() => Detail is null ? $"{Kind} {OrderId}" : $"{Kind} {OrderId} {Detail}";
    }

    private readonly ConcurrentQueue<RecordedCall> _calls = new();
    private readonly ConcurrentDictionary<Guid, SagaRunStatus> _runs = new();

    public IReadOnlyList<RecordedCall> Calls => [.. _calls];

    /// <summary>Makes the next calls fail with what this returns for them (null: succeed), e.g. to play an outage.</summary>
    public Func<RecordedCall, Exception?> Failure { get; set; } = _ => null;

    /// <summary>How many distinct workflows a real server would hold.</summary>
    public int Started => _runs.Count;

    public void SetStatus(Guid orderId, SagaRunStatus status) => _runs[orderId] = status;

    public Task StartAsync(OrderCreated created, OrderProgress progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(created);
        ArgumentNullException.ThrowIfNull(progress);
        return RecordAsync(new RecordedCall("start", created.OrderId, $"from {progress.Status}", Trace()), () => _runs.TryAdd(created.OrderId, SagaRunStatus.Running));
    }

    public Task<SagaRunStatus> StatusAsync(Guid orderId, CancellationToken cancellationToken) =>
        Task.FromResult(_runs.GetValueOrDefault(orderId, SagaRunStatus.None));

    public Task OrderDispatchedAsync(Guid orderId, Party driver, CancellationToken cancellationToken) =>
        RecordAsync(new RecordedCall("dispatched", orderId, $"{driver?.Id} {driver?.Phone} {driver?.Name}".TrimEnd(), Trace()));

    public Task OrderDeliveredAsync(Guid orderId, CancellationToken cancellationToken) => RecordAsync(new RecordedCall("delivered", orderId, null, Trace()));

    public Task OrderCanceledAsync(Guid orderId, CancellationToken cancellationToken) => RecordAsync(new RecordedCall("canceled", orderId, null, Trace()));

    private Task RecordAsync(RecordedCall call, Action? effect = null)
    {
        if (Failure(call) is { } failure)
        {
            return Task.FromException(failure);
        }

        if (SignalsNeedAStart && call.Kind != "start" && !_runs.ContainsKey(call.OrderId))
        {
            return Task.FromException(new WorkflowNotStartedException(call.OrderId));
        }

        _calls.Enqueue(call);
        effect?.Invoke();
        return Task.CompletedTask;
    }

    private static string? Trace() => Activity.Current?.TraceId.ToHexString();
}
