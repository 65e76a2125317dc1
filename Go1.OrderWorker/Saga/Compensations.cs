namespace Go1.OrderWorker.Saga;

/// <summary>
/// The saga's undo list (as in Temporal's saga sample): each step registers its compensation before it runs,
/// and on failure they run newest first. A compensation that fails does not stop the others; it stays pending
/// and its error is returned, so it is neither swallowed nor forgotten.
/// </summary>
public sealed class Compensations
{
    private readonly List<(string Name, Func<Task> Undo)> _steps = [];

    /// <summary>Compensation names still to complete, in the order they would run.</summary>
    public IReadOnlyList<string> Pending => [.. _steps.Select(s => s.Name).Reverse()];

    public void Add(string name, Func<Task> undo) => _steps.Add((name, undo));

    /// <summary>Drops <paramref name="name"/>: what it would undo is known not to have happened, or no longer to be undone.</summary>
    public void Forget(string name) => _steps.RemoveAll(s => s.Name == name);

    public void Clear() => _steps.Clear();

    /// <summary>Runs every pending compensation, newest first, once; returns the ones that failed (they stay pending).</summary>
    public async Task<IReadOnlyList<(string Name, Exception Error)>> RunAsync()
    {
        var failures = new List<(string, Exception)>();
        for (var i = _steps.Count - 1; i >= 0; i--)
        {
            try
            {
                await _steps[i].Undo();
                _steps.RemoveAt(i);
            }
            catch (Exception ex)
            {
                // Whatever stopped it, cancellation included, the undo did not happen.
                failures.Add((_steps[i].Name, ex));
            }
        }

        return failures;
    }
}
