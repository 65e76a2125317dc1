namespace Go1.Tests.Api;

/// <summary>What the API does when its database fails: nothing half-written, and 503 rather than 500 when it is unreachable.</summary>
public sealed class OrderApiFailureTests(OrderApiFixture api, PostgresServer postgres) : IClassFixture<OrderApiFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_failure_after_the_order_insert_leaves_neither_order_nor_outbox_row()
    {
        var connectionString = await postgres.CreateMigratedDatabaseAsync("go1_atomic");
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            // Fail at commit, when the order and its outbox row have both been inserted in the transaction.
            await connection.ExecuteAsync("""
                CREATE FUNCTION refuse_outbox() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'outbox refused'; END $$;
                CREATE CONSTRAINT TRIGGER refuse_outbox AFTER INSERT ON outbox DEFERRABLE INITIALLY DEFERRED
                    FOR EACH ROW EXECUTE FUNCTION refuse_outbox();
                """);
        }

        await using var factory = new ServiceFactory<OrderApiService>(api.Settings(connectionString));
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-User-Id", "atomic-user");
        client.DefaultRequestHeaders.Add(TestGateway.Header, TestGateway.Secret);
        client.DefaultRequestHeaders.Add("X-User-Audience", "user_app");

        var problem = await ProblemAssert.IsProblemAsync(await client.PostAsJsonAsync("/orders", OrderApiFixture.ValidOrder(), Ct), HttpStatusCode.InternalServerError, "INTERNAL_ERROR");

        Assert.DoesNotContain("outbox refused", problem.ToString(), StringComparison.Ordinal);
        await using var check = new NpgsqlConnection(connectionString);
        Assert.Equal(0, await check.ExecuteScalarAsync<int>("SELECT count(*) FROM orders"));
        Assert.Equal(0, await check.ExecuteScalarAsync<int>("SELECT count(*) FROM outbox"));
    }

    [Fact]
    public async Task Unreachable_database_is_503_dependency_unavailable_with_retry_after()
    {
        var unreachable = $"Host=127.0.0.1;Port={FreePort.Next()};Username=postgres;Database=go1;Timeout=2";
        await using var factory = new ServiceFactory<OrderApiService>(api.Settings(unreachable));
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-User-Id", "someone");
        client.DefaultRequestHeaders.Add(TestGateway.Header, TestGateway.Secret);
        client.DefaultRequestHeaders.Add("X-User-Audience", "user_app");

        var post = await client.PostAsJsonAsync("/orders", OrderApiFixture.ValidOrder(), Ct);
        await ProblemAssert.IsProblemAsync(post, HttpStatusCode.ServiceUnavailable, "DEPENDENCY_UNAVAILABLE");
        Assert.NotNull(post.Headers.RetryAfter);

        await ProblemAssert.IsProblemAsync(await client.GetAsync($"/orders/{Guid.CreateVersion7()}", Ct), HttpStatusCode.ServiceUnavailable, "DEPENDENCY_UNAVAILABLE");
    }
}
