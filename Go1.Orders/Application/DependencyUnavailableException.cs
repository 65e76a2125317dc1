namespace Go1.Orders.Application;

/// <summary>A backing service (database, cache, broker) could not be reached; the request may succeed if retried.</summary>
public sealed class DependencyUnavailableException(string dependency, Exception innerException)
    : Exception($"{dependency} is unavailable.", innerException)
{
    public string Dependency { get; } = dependency;
}
