using Go1.Orders.Application;
using Npgsql;

namespace Go1.Orders.Infrastructure.Persistence;

public static class PostgresAvailability
{
    /// <summary>Connection-level failures become <see cref="DependencyUnavailableException"/> (503 upstream); SQL errors stay what they are.</summary>
    public static async Task<T> GuardAsync<T>(Func<Task<T>> operation)
    {
        try
        {
            return await operation();
        }
        catch (NpgsqlException ex) when (ex is not PostgresException || ex.IsTransient)
        {
            throw new DependencyUnavailableException("PostgreSQL", ex);
        }
    }
}
