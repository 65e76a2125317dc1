namespace Go1.CdcSync;

/// <summary>What the sync loop is doing, for the health check: streaming, or waiting to retry and why.</summary>
public sealed class CdcSyncStatus
{
    private volatile string? _problem = "starting";

    /// <summary>Null while changes flow; otherwise what is wrong.</summary>
    public string? Problem => _problem;

    public void Streaming() => _problem = null;

    public void Failing(string problem) => _problem = problem;
}
