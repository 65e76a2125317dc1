namespace Go1.OrderWorker.Saga;

/// <summary>
/// The saga's undo list (as in Temporal's saga sample): each step registers its compensation before it runs,
/// and on failure they run newest first. A compensation that fails does not stop the others; its error is returned.
/// </summary>
public sealed class Compensations
{
    private readonly List<(string Name, Func<Task> Undo)> _steps = [];

    /// <summary>Registered compensation names, in the order they would run.</summary>
    public IReadOnlyList<string> Pending => [.. _steps.Select(s => s.Name).Reverse()];

    public void Add(string name, Func<Task> undo) => _steps.Add((name, undo));

    /// <summary>Runs every registered compensation, newest first, once; returns the ones that failed.</summary>
    public async Task<IReadOnlyList<(string Name, Exception Error)>> RunAsync()
    {
        var failures = new List<(string, Exception)>();
        for (var i = _steps.Count - 1; i >= 0; i--)
        {
            try
            {
                await _steps[i].Undo();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failures.Add((_steps[i].Name, ex));
            }
        }

        _steps.Clear();
        return failures;
    }
}
