using Temporalio.Client;
using Temporalio.Extensions.Hosting;
using Temporalio.Worker;

namespace Go1.Tests.Saga;

/// <summary>
/// The saga end to end on a real Temporal server (see <see cref="TemporalTestServer"/>; skipped with the reason
/// when there is none), with real activities on a real PostgreSQL. Signals go through the same adapter the
/// Kafka handlers use.
/// </summary>
public sealed class OrderWorkflowTests(TemporalTestServer temporal, SagaDatabase db) : IClassFixture<SagaDatabase>
{
    private static readonly Party FirstDriver = new("drv-1", "+84900000001", "Lan");
    private static readonly Party SecondDriver = new("drv-2", "+84900000002", "Minh");
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Saga(WorkflowHandle<OrderWorkflow, OrderWorkflowState> Handle, TemporalOrderWorkflows Signals, Guid OrderId);

    /// <summary>Runs <paramref name="scenario"/> with a worker polling a task queue of its own.</summary>
    private async Task<OrderWorkflowState> RunAsync(OrderCreated created, Func<Saga, Task> scenario, TimeSpan? maxRide = null)
    {
        var client = temporal.Require();
        var taskQueue = $"go1-test-{Guid.NewGuid():N}";
        var options = new TemporalWorkerOptions(taskQueue).AddWorkflow<OrderWorkflow>();
        foreach (var activity in db.Services.CreateTemporalActivityDefinitions<OrderActivities>())
        {
            options.AddActivity(activity);
        }

        using var worker = new TemporalWorker(client, options);
        return await worker.ExecuteAsync(async () =>
        {
            var input = SagaDatabase.Input(created, maxRide);
            var handle = await client.StartWorkflowAsync((OrderWorkflow w) => w.RunAsync(input), new(created.WorkflowId, taskQueue));
            await scenario(new Saga(handle, new TemporalOrderWorkflows(client, taskQueue, input.MaxRideDuration), created.OrderId));
            return await handle.GetResultAsync();
        });
    }

    private static async Task WaitForStatusAsync(Saga saga, string status)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while ((await saga.Handle.QueryAsync(w => w.GetState())).Status != status)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the workflow did not reach {status}");
            await Task.Delay(50, Ct);
        }
    }

    [Fact]
    public async Task Happy_path_authorizes_assigns_captures_and_completes()
    {
        var created = await db.CreateOrderAsync("card");

        var result = await RunAsync(created, async saga =>
        {
            await WaitForStatusAsync(saga, "FINDING");
            Assert.Equal(["ReleasePayment"], (await saga.Handle.QueryAsync(w => w.GetState())).PendingCompensations);
            await saga.Signals.OrderDispatchedAsync(saga.OrderId, FirstDriver, Ct);
            await WaitForStatusAsync(saga, "ASSIGNED");
            await saga.Signals.OrderDeliveredAsync(saga.OrderId, Ct);
        });

        Assert.Equal(("COMPLETED", (string?)null, "CAPTURED"), (result.Status, result.SubStatus, result.Payment));
        var stored = await db.OrderAsync(created.OrderId);
        Assert.Equal(("COMPLETED", (string?)null, "drv-1"), (stored.Status, stored.SubStatus, stored.DriverId));
        Assert.Equal("CAPTURED", await db.PaymentStatusAsync(created.OrderId));
    }

    [Fact]
    public async Task Cancel_before_dispatch_voids_the_payment_and_cancels()
    {
        var created = await db.CreateOrderAsync("wallet");

        var result = await RunAsync(created, async saga =>
        {
            await WaitForStatusAsync(saga, "FINDING");
            await saga.Signals.OrderCanceledAsync(saga.OrderId, Ct);
        });

        Assert.Equal(("CANCELLED", CancelReasons.CustomerCanceled, "VOIDED"), (result.Status, result.SubStatus, result.Payment));
        Assert.Equal("VOIDED", await db.PaymentStatusAsync(created.OrderId));
        Assert.Equal(CancelReasons.CustomerCanceled, (await db.OrderAsync(created.OrderId)).SubStatus);
    }

    [Fact]
    public async Task No_dispatch_within_the_auto_cancel_interval_cancels_with_no_driver_found()
    {
        var created = await db.CreateOrderAsync("cash", autoCancelSeconds: 2);

        var result = await RunAsync(created, _ => Task.CompletedTask);

        Assert.Equal(("CANCELLED", CancelReasons.NoDriverFound), (result.Status, result.SubStatus));
        var stored = await db.OrderAsync(created.OrderId);
        Assert.Equal(("CANCELLED", CancelReasons.NoDriverFound), (stored.Status, stored.SubStatus));
    }

    [Fact]
    public async Task A_declined_payment_cancels_without_any_capture()
    {
        var created = await db.CreateOrderAsync("card", new() { ["simulate"] = "decline" });

        var result = await RunAsync(created, _ => Task.CompletedTask);

        Assert.Equal(("CANCELLED", CancelReasons.PaymentDeclined, (string?)null), (result.Status, result.SubStatus, result.Payment));
        Assert.Null(await db.PaymentStatusAsync(created.OrderId));
    }

    [Fact]
    public async Task Cancel_after_assignment_releases_the_payment_and_a_late_delivery_is_ignored()
    {
        var created = await db.CreateOrderAsync("card");

        var result = await RunAsync(created, async saga =>
        {
            await WaitForStatusAsync(saga, "FINDING");
            await saga.Signals.OrderDispatchedAsync(saga.OrderId, FirstDriver, Ct);
            await WaitForStatusAsync(saga, "ASSIGNED");
            await saga.Signals.OrderCanceledAsync(saga.OrderId, Ct);
        });
        await new TemporalOrderWorkflows(temporal.Require(), "unused", TimeSpan.FromHours(1)).OrderDeliveredAsync(created.OrderId, Ct);

        Assert.Equal(("CANCELLED", CancelReasons.CustomerCanceled, "VOIDED"), (result.Status, result.SubStatus, result.Payment));
        Assert.Equal("VOIDED", await db.PaymentStatusAsync(created.OrderId));
    }

    [Fact]
    public async Task Duplicate_signals_change_nothing_the_first_driver_and_first_delivery_win()
    {
        var created = await db.CreateOrderAsync("cash");

        var result = await RunAsync(created, async saga =>
        {
            await WaitForStatusAsync(saga, "FINDING");
            await saga.Signals.OrderDispatchedAsync(saga.OrderId, FirstDriver, Ct);
            await saga.Signals.OrderDispatchedAsync(saga.OrderId, SecondDriver, Ct);
            await WaitForStatusAsync(saga, "ASSIGNED");
            await saga.Signals.OrderDispatchedAsync(saga.OrderId, SecondDriver, Ct);
            await saga.Signals.OrderDeliveredAsync(saga.OrderId, Ct);
            await saga.Signals.OrderDeliveredAsync(saga.OrderId, Ct);
            await saga.Signals.OrderCanceledAsync(saga.OrderId, Ct);
        });

        Assert.Equal(("COMPLETED", "drv-1"), (result.Status, result.Driver?.Id));
        var stored = await db.OrderAsync(created.OrderId);
        Assert.Equal(("COMPLETED", "drv-1"), (stored.Status, stored.DriverId));
    }

    [Fact]
    public async Task Cancelling_the_workflow_through_temporal_still_releases_the_payment()
    {
        var created = await db.CreateOrderAsync("card");

        var result = await RunAsync(created, async saga =>
        {
            await WaitForStatusAsync(saga, "FINDING");
            await saga.Handle.CancelAsync();
        });

        Assert.Equal(("CANCELLED", CancelReasons.WorkflowCanceled, "VOIDED"), (result.Status, result.SubStatus, result.Payment));
        Assert.Equal("VOIDED", await db.PaymentStatusAsync(created.OrderId));
    }

    [Fact]
    public async Task A_redelivered_OrderCreated_after_the_saga_finished_starts_no_second_run()
    {
        var created = await db.CreateOrderAsync("cash", autoCancelSeconds: 1);
        var client = temporal.Require();
        var first = await RunAsync(created, _ => Task.CompletedTask);
        var finished = await client.GetWorkflowHandle(created.WorkflowId).DescribeAsync();

        // What the OrderCreated handler does with a redelivered event.
        await new TemporalOrderWorkflows(client, "unused", TimeSpan.FromHours(1)).StartAsync(created, new OrderProgress("CANCELLED", null), Ct);

        var now = await client.GetWorkflowHandle(created.WorkflowId).DescribeAsync();
        Assert.Equal(CancelReasons.NoDriverFound, first.SubStatus);
        Assert.Equal((finished.RunId, finished.Status), (now.RunId, now.Status));
    }
}
