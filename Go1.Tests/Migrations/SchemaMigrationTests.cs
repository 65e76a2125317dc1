using Go1.Migrations;

namespace Go1.Tests.Migrations;

/// <summary>The AppHost's first step, run as its process runs it: exit code 0 only once the schema is current.</summary>
public sealed class SchemaMigrationTests(PostgresServer postgres)
{
    [Fact]
    public async Task An_empty_database_gets_the_schema_and_a_second_run_changes_nothing()
    {
        var database = await postgres.CreateDatabaseAsync("go1_migrate");

        Assert.Equal(0, await SchemaMigration.RunAsync([$"--ConnectionStrings:go1={database}"]));
        Assert.Equal(0, await SchemaMigration.RunAsync([$"--ConnectionStrings:go1={database}"]));

        await using var connection = new NpgsqlConnection(database);
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM services WHERE id = 'taxi'"));
        Assert.Equal(
            Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "Go1.Orders", "Infrastructure", "Migrations"), "*.sql").Length,
            await connection.ExecuteScalarAsync<int>($"SELECT count(*) FROM {Go1.Orders.Infrastructure.Persistence.DatabaseMigrator.JournalTable}"));
    }

    [Fact]
    public async Task Without_a_connection_string_it_exits_2()
    {
        Assert.Equal(2, await SchemaMigration.RunAsync([]));
    }

    [Fact]
    public async Task An_unreachable_database_exits_1()
    {
        Assert.Equal(1, await SchemaMigration.RunAsync(["--ConnectionStrings:go1=Host=127.0.0.1;Port=1;Database=none;Timeout=2"]));
    }
}
