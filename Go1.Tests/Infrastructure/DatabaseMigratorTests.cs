using Go1.Orders.Infrastructure.Persistence;

namespace Go1.Tests.Infrastructure;

/// <summary>The migrate step the AppHost runs: idempotent, safe under concurrency, and produces the schema CDC needs.</summary>
public sealed class DatabaseMigratorTests(PostgresServer postgres)
{
    private static DatabaseMigrator Migrator(string connectionString) => new(connectionString, NullLogger<DatabaseMigrator>.Instance);

    [Fact]
    public async Task Running_twice_applies_every_script_once()
    {
        var connectionString = await postgres.CreateDatabaseAsync();

        var first = await Migrator(connectionString).MigrateAsync(TestContext.Current.CancellationToken);
        var second = await Migrator(connectionString).MigrateAsync(TestContext.Current.CancellationToken);

        Assert.NotEmpty(first);
        Assert.Empty(second);
        await using var connection = new NpgsqlConnection(connectionString);
        Assert.Equal(first.Count, await connection.ExecuteScalarAsync<int>($"SELECT count(*) FROM {DatabaseMigrator.JournalTable}"));
    }

    [Fact]
    public async Task Concurrent_runs_serialise_and_apply_every_script_once()
    {
        var connectionString = await postgres.CreateDatabaseAsync();

        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Migrator(connectionString).MigrateAsync(TestContext.Current.CancellationToken))));

        var applied = runs.SelectMany(r => r).ToList();
        Assert.Equal(applied.Distinct().Count(), applied.Count);
        Assert.Single(runs, r => r.Count > 0);
    }

    [Fact]
    public async Task Orders_table_is_replica_identity_full_and_bumps_version_on_update()
    {
        var connectionString = await postgres.CreateMigratedDatabaseAsync();
        await using var connection = new NpgsqlConnection(connectionString);

        Assert.Equal('f', await connection.ExecuteScalarAsync<char>("SELECT relreplident FROM pg_class WHERE relname = 'orders'"));

        var id = Guid.CreateVersion7();
        await connection.ExecuteAsync("""
            INSERT INTO orders (id, created_by, creator_role, status, service, payment, points, order_time)
            VALUES (@id, 'u1', 'user_app', 'FINDING', '{}', '{}', '[]', now())
            """, new { id });
        await connection.ExecuteAsync("UPDATE orders SET status = 'CANCELLED' WHERE id = @id", new { id });
        await connection.ExecuteAsync("UPDATE orders SET sub_status = 'CUSTOMER_CANCELED' WHERE id = @id", new { id });

        Assert.Equal(3L, await connection.ExecuteScalarAsync<long>("SELECT version FROM orders WHERE id = @id", new { id }));
    }

    [Fact]
    public async Task Service_catalogue_is_seeded_with_every_service_type()
    {
        var connectionString = await postgres.CreateMigratedDatabaseAsync();
        await using var connection = new NpgsqlConnection(connectionString);

        var types = await connection.QueryAsync<string>("SELECT DISTINCT type FROM services WHERE enabled ORDER BY type");

        Assert.Equal(["RIDE-HOUR", "RIDE-ROUTE", "RIDE-SHARE", "RIDE-SHUTTLE", "RIDE-TAXI", "RIDE-TRIP"], types);
    }
}
