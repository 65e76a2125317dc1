namespace Go1.Orders.Infrastructure.Persistence;

public static class PostgresTime
{
    /// <summary>A <c>timestamptz</c> read by Dapper as <see cref="DateTime"/>: its value is UTC.</summary>
    public static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
