using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Go1.Tests.Saga;

/// <summary>The reconciler against a real PostgreSQL, with the workflow port recording (no Temporal here).</summary>
public sealed class OrderSagaReconcilerTests(SagaDatabase db) : IClassFixture<SagaDatabase>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<Guid> OpenOrderAsync(TimeSpan age)
    {
        var id = (await db.CreateOrderAsync("cash")).OrderId;
        await using var connection = new NpgsqlConnection(db.ConnectionString);
        await connection.ExecuteAsync("UPDATE orders SET created_at = created_at - @age WHERE id = @id", new { age, id });
        return id;
    }

    [Fact]
    public async Task A_sweep_starts_lost_sagas_from_where_their_order_stands_and_reports_stranded_ones()
    {
        var steps = db.Services.GetRequiredService<OrderSagaSteps>();
        var lost = await OpenOrderAsync(TimeSpan.FromMinutes(10));
        var running = await OpenOrderAsync(TimeSpan.FromMinutes(10));
        var stranded = await OpenOrderAsync(TimeSpan.FromMinutes(10));
        await steps.AssignDriverAsync(stranded, new Party("drv-9", null, null), Ct);
        var finished = await OpenOrderAsync(TimeSpan.FromMinutes(10));
        await steps.CancelAsync(finished, CancelReasons.NoDriverFound, Ct);
        var fresh = await OpenOrderAsync(TimeSpan.Zero);
        var workflows = new RecordingOrderWorkflows();
        workflows.SetStatus(running, SagaRunStatus.Running);
        workflows.SetStatus(stranded, SagaRunStatus.Terminated);
        var meters = db.Services.GetRequiredService<IMeterFactory>();
        using var started = new MetricCollector<long>(meters, OrderSagaReconciler.MeterName, "go1.saga.reconciler.started");
        var reconciler = new OrderSagaReconciler(db.Services.GetRequiredService<IOpenOrders>(), workflows,
            Options.Create(new OrderSagaReconcilerOptions { Grace = TimeSpan.FromMinutes(2), BatchSize = 2 }), TimeProvider.System, meters,
            NullLogger<OrderSagaReconciler>.Instance);

        var (startedCount, strandedCount) = await reconciler.SweepAsync(Ct);

        Assert.Equal([$"start {lost} from FINDING"], workflows.Calls.Select(c => c.ToString()));
        Assert.Equal((1, 1), (startedCount, strandedCount));
        Assert.Equal(1, started.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.DoesNotContain(workflows.Calls, c => c.OrderId == fresh || c.OrderId == finished);

        // The started saga now runs: the next sweep leaves it alone.
        Assert.Equal((0, 1), await reconciler.SweepAsync(Ct));
    }
}
