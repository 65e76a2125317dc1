using Go1.Orders.Infrastructure.Outbox;

namespace Go1.Tests.Infrastructure;

/// <summary>The outbox table's claim and backlog rules on a real PostgreSQL.</summary>
public sealed class PostgresOutboxTests(PostgresServer postgres)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task InsertAsync(NpgsqlConnection connection, int count, string age, string? publishedAgo = null) =>
        await connection.ExecuteAsync("""
            INSERT INTO outbox (event_id, aggregate_id, event_type, topic, payload, created_at, published_at)
            SELECT gen_random_uuid(), gen_random_uuid(), 'OrderCreated', 'orders.events', '{}'::jsonb,
                   now() - @age::interval, now() - @publishedAgo::interval
            FROM generate_series(1, @count)
            """, new { count, age, publishedAgo });

    [Fact]
    public async Task Backlog_counts_unpublished_messages_and_the_age_of_the_oldest()
    {
        var connectionString = await postgres.CreateMigratedDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var connection = await dataSource.OpenConnectionAsync(Ct);
        await InsertAsync(connection, 3, "90 seconds");
        await InsertAsync(connection, 2, "1 second");
        await InsertAsync(connection, 4, "1 hour", publishedAgo: "59 minutes");

        var backlog = await new PostgresOutbox(dataSource, TimeProvider.System).BacklogAsync(Ct);

        Assert.Equal(5, backlog.Count);
        Assert.InRange(backlog.OldestAge.TotalSeconds, 89, 120);
    }

    [Fact]
    public async Task Two_relays_claim_disjoint_batches_and_an_abandoned_claim_is_released()
    {
        var connectionString = await postgres.CreateMigratedDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using (var connection = await dataSource.OpenConnectionAsync(Ct))
        {
            await InsertAsync(connection, 10, "1 second");
        }

        var outbox = new PostgresOutbox(dataSource, TimeProvider.System);
        var first = await outbox.ClaimAsync(6, Ct);
        await using (var second = await outbox.ClaimAsync(6, Ct))
        {
            Assert.Equal(6, first.Messages.Count);
            Assert.Equal(4, second.Messages.Count);
            Assert.Empty(first.Messages.Select(m => m.EventId).Intersect(second.Messages.Select(m => m.EventId)));
            await second.CompleteAsync(second.Messages.Select(m => m.EventId).ToList(), new Dictionary<Guid, OutboxFailure>(), maxRejections: 5, Ct);
        }

        await first.DisposeAsync(); // a relay that died mid-batch
        await using var retry = await outbox.ClaimAsync(100, Ct);
        Assert.Equal(6, retry.Messages.Count);
    }

    [Fact]
    public async Task A_write_wakes_the_local_relay_at_once()
    {
        await using var dataSource = NpgsqlDataSource.Create(await postgres.CreateMigratedDatabaseAsync());
        await using var outbox = new PostgresOutbox(dataSource, TimeProvider.System);

        var waiting = outbox.WaitForMessagesAsync(TimeSpan.FromSeconds(30), Ct);
        outbox.Written();

        Assert.Same(waiting, await Task.WhenAny(waiting, Task.Delay(TimeSpan.FromSeconds(5), Ct)));
    }

    [Fact]
    public async Task A_write_in_another_replica_wakes_this_relay_through_notify()
    {
        var connectionString = await postgres.CreateMigratedDatabaseAsync();
        await using var here = NpgsqlDataSource.Create(connectionString);
        await using var there = NpgsqlDataSource.Create(connectionString);
        await using var relay = new PostgresOutbox(here, TimeProvider.System);
        await using var otherReplica = new PostgresOutbox(there, TimeProvider.System);

        var waiting = relay.WaitForMessagesAsync(TimeSpan.FromSeconds(30), Ct);
        // Keep writing until the relay's LISTEN (started by its first wait) is in place.
        for (var i = 0; i < 50 && !waiting.IsCompleted; i++)
        {
            otherReplica.Written();
            await Task.Delay(100, Ct);
        }

        Assert.True(waiting.IsCompletedSuccessfully, "the relay was not woken by the other replica's NOTIFY");
    }
}
