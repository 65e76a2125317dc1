using Go1.OrderApi.Retention;
using Go1.Orders.Infrastructure.Persistence;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Go1.Tests.Infrastructure;

/// <summary>The retention sweep on a real PostgreSQL: what has expired goes, the rest stays, and it is counted.</summary>
public sealed class RetentionCleanupTests(PostgresServer postgres)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_sweep_deletes_published_outbox_messages_and_idempotency_keys_past_their_retention_only()
    {
        var connectionString = await postgres.CreateMigratedDatabaseAsync("go1_retention");
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var connection = await dataSource.OpenConnectionAsync(Ct);
        // Outbox: published 2 days ago (expired), published 1 hour ago, never published (3 days old: kept, it is owed).
        await connection.ExecuteAsync("""
            INSERT INTO outbox (event_id, aggregate_id, event_type, topic, payload, created_at, published_at)
            SELECT gen_random_uuid(), gen_random_uuid(), 'OrderCreated', 'orders.events', '{}'::jsonb, now() - a.created, now() - a.published
            FROM (VALUES (interval '3 days', interval '2 days'), (interval '3 days', interval '2 days'), (interval '2 hours', interval '1 hour'),
                         (interval '3 days', NULL)) AS a (created, published)
            """);
        foreach (var (age, key) in new[] { ("2 days", "old-1"), ("30 hours", "old-2"), ("1 hour", "fresh") })
        {
            var order = TestOrders.New("cash");
            await connection.ExecuteAsync($"""
                INSERT INTO orders (id, created_by, creator_role, status, service, payment, points, order_time)
                VALUES (@id, 'u', 'user_app', 'FINDING', '{"{}"}', '{"{}"}', '[]', now());
                INSERT INTO idempotency_keys (caller_id, key, request_hash, order_id, created_at) VALUES ('u', @key, 'h', @id, now() - @age::interval);
                """, new { id = order.Id, key, age });
        }

        var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var deleted = new MetricCollector<long>(services.GetRequiredService<IMeterFactory>(), RetentionCleanup.MeterName, "go1.retention.deleted");
        var cleanup = new RetentionCleanup(new PostgresDataRetention(dataSource), Options.Create(new RetentionOptions()), TimeProvider.System,
            services.GetRequiredService<IMeterFactory>(), NullLogger<RetentionCleanup>.Instance);

        Assert.Equal((2, 2), await cleanup.SweepAsync(Ct));

        Assert.Equal(2, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM outbox"));
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM outbox WHERE published_at IS NULL"));
        Assert.Equal(["fresh"], await connection.QueryAsync<string>("SELECT key FROM idempotency_keys"));
        Assert.Equal(4, deleted.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal((0, 0), await cleanup.SweepAsync(Ct));
    }
}
