namespace Go1.OrderWorker.Messaging;

/// <summary>What the worker's handlers meet when PostgreSQL or Temporal does not answer: their adapters say so with <see cref="DependencyUnavailableException"/>.</summary>
public sealed class SagaOutageDetector : IDependencyOutageDetector
{
    public bool IsOutage(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is DependencyUnavailableException)
            {
                return true;
            }
        }

        return false;
    }
}
