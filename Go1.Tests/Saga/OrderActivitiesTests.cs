using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Temporalio.Exceptions;
using Temporalio.Testing;

namespace Go1.Tests.Saga;

/// <summary>The saga's activities, run in Temporal's ActivityEnvironment against a real PostgreSQL.</summary>
public sealed class OrderActivitiesTests(SagaDatabase db) : IClassFixture<SagaDatabase>
{
    private static readonly Party Driver = new("drv-7", "+84900000007", "Minh");

    private static Task<T> RunAsync<T>(Func<Task<T>> activity) => new ActivityEnvironment().RunAsync(activity);

    [Fact]
    public async Task A_prepaid_order_goes_authorized_finding_assigned_captured_completed_one_version_per_change()
    {
        var order = await db.CreateOrderAsync("card");
        var id = order.OrderId;

        Assert.Equal("AUTHORIZED", await RunAsync(() => db.Activities.AuthorizePaymentAsync(id)));
        Assert.Equal("FINDING", await RunAsync(() => db.Activities.ConfirmPaymentAsync(id)));
        Assert.Equal("FINDING", await RunAsync(() => db.Activities.StartFindingAsync(id)));
        Assert.Equal("ASSIGNED", await RunAsync(() => db.Activities.AssignDriverAsync(id, Driver)));
        Assert.Equal("CAPTURED", await RunAsync(() => db.Activities.CapturePaymentAsync(id)));
        Assert.Equal("COMPLETED", await RunAsync(() => db.Activities.CompleteAsync(id)));

        Assert.Equal(("COMPLETED", (string?)null, "drv-7", 4L), await db.OrderAsync(id));
        Assert.Equal("CAPTURED", await db.PaymentStatusAsync(id));
    }

    [Fact]
    public async Task Every_step_heartbeats_so_that_a_cancellation_can_reach_it()
    {
        // Temporal delivers a cancel to a running activity only in the answer to a heartbeat.
        var id = (await db.CreateOrderAsync("card")).OrderId;
        var heartbeats = 0;
        var environment = new ActivityEnvironment { Heartbeater = _ => Interlocked.Increment(ref heartbeats) };

        await environment.RunAsync(() => db.Activities.AuthorizePaymentAsync(id));

        Assert.True(heartbeats >= 1, "AuthorizePayment never heartbeat");
    }

    [Fact]
    public async Task A_cancelled_step_finishes_what_it_started_so_the_compensation_sees_it()
    {
        // The workflow waits for a cancelled step to end (WaitCancellationCompleted); a hold half made and never
        // recorded would be missed by the release that follows.
        var id = (await db.CreateOrderAsync("card")).OrderId;
        var environment = new ActivityEnvironment();
        environment.Cancel();

        Assert.Equal("AUTHORIZED", await environment.RunAsync(() => db.Activities.AuthorizePaymentAsync(id)));

        Assert.Equal("AUTHORIZED", await db.PaymentStatusAsync(id));
    }

    [Fact]
    public async Task A_scheduled_prepaid_order_waits_in_scheduling_until_the_saga_starts_finding()
    {
        var id = (await db.CreateOrderAsync("wallet", scheduled: true)).OrderId;

        Assert.Equal("AUTHORIZED", await RunAsync(() => db.Activities.AuthorizePaymentAsync(id)));
        Assert.Equal("SCHEDULING", await RunAsync(() => db.Activities.ConfirmPaymentAsync(id)));
        Assert.Equal("FINDING", await RunAsync(() => db.Activities.StartFindingAsync(id)));

        Assert.Equal(("FINDING", 3L), ((await db.OrderAsync(id)).Status, (await db.OrderAsync(id)).Version));
    }

    [Fact]
    public async Task Every_activity_is_idempotent_a_retry_changes_nothing()
    {
        var id = (await db.CreateOrderAsync("wallet")).OrderId;
        foreach (var step in new Func<Task<string>>[]
        {
            () => db.Activities.AuthorizePaymentAsync(id),
            () => db.Activities.ConfirmPaymentAsync(id),
            () => db.Activities.AssignDriverAsync(id, Driver),
        })
        {
            var first = await RunAsync(step);
            var version = (await db.OrderAsync(id)).Version;
            Assert.Equal(first, await RunAsync(step));
            Assert.Equal(version, (await db.OrderAsync(id)).Version);
        }

        Assert.Equal("CAPTURED", await RunAsync(() => db.Activities.CapturePaymentAsync(id)));
        Assert.Equal("CAPTURED", await RunAsync(() => db.Activities.CapturePaymentAsync(id)));
        Assert.Equal(("ASSIGNED", 3L), ((await db.OrderAsync(id)).Status, (await db.OrderAsync(id)).Version));
    }

    [Fact]
    public async Task A_declined_authorization_fails_for_good_and_stores_no_payment()
    {
        var id = (await db.CreateOrderAsync("card", new() { ["simulate"] = "decline" })).OrderId;

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() => RunAsync(() => db.Activities.AuthorizePaymentAsync(id)));

        Assert.Equal((ErrorCodes.PaymentDeclined, true), (failure.ErrorType, failure.NonRetryable));
        Assert.Null(await db.PaymentStatusAsync(id));
        Assert.Null(await RunAsync(() => db.Activities.ReleasePaymentAsync(id)));
    }

    [Fact]
    public async Task Fares_over_the_configured_limit_are_declined()
    {
        // Saigon to Hanoi by taxi: over 18 million VND, above this fixture's 5 million limit.
        var id = await db.PlaceOrderAsync("card", (10.7769, 106.7009), (21.0285, 105.8542));

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() => RunAsync(() => db.Activities.AuthorizePaymentAsync(id)));

        Assert.Equal(ErrorCodes.PaymentDeclined, failure.ErrorType);
    }

    [Fact]
    public async Task Releasing_voids_an_authorized_payment_and_refunds_a_captured_one()
    {
        var voided = (await db.CreateOrderAsync("card")).OrderId;
        await RunAsync(() => db.Activities.AuthorizePaymentAsync(voided));
        Assert.Equal("VOIDED", await RunAsync(() => db.Activities.ReleasePaymentAsync(voided)));
        Assert.Equal("VOIDED", await RunAsync(() => db.Activities.ReleasePaymentAsync(voided)));
        Assert.Equal("VOIDED", await db.PaymentStatusAsync(voided));

        var refunded = (await db.CreateOrderAsync("card")).OrderId;
        await RunAsync(() => db.Activities.AuthorizePaymentAsync(refunded));
        await RunAsync(() => db.Activities.CapturePaymentAsync(refunded));
        Assert.Equal("REFUNDED", await RunAsync(() => db.Activities.ReleasePaymentAsync(refunded)));
    }

    [Fact]
    public async Task Authorize_holds_the_fare_the_server_priced_for_the_route()
    {
        // Ben Thanh to Go Vap, 9,320 m great-circle: the seeded taxi tariff is 12,000 VND + 16,000 VND per km.
        var id = await db.PlaceOrderAsync("card", (10.7769, 106.7009), (10.8231, 106.6297));

        await RunAsync(() => db.Activities.AuthorizePaymentAsync(id));

        Assert.Equal((161_120L, "VND"), await db.PaymentAmountAsync(id));
    }

    [Fact]
    public async Task A_compensation_never_refunds_an_order_that_reached_COMPLETED()
    {
        var id = (await db.CreateOrderAsync("card")).OrderId;
        await RunAsync(() => db.Activities.AuthorizePaymentAsync(id));
        await RunAsync(() => db.Activities.ConfirmPaymentAsync(id));
        await RunAsync(() => db.Activities.AssignDriverAsync(id, Driver));
        await RunAsync(() => db.Activities.CapturePaymentAsync(id));
        await RunAsync(() => db.Activities.CompleteAsync(id));

        // A second saga over the same order (a redelivered OrderCreated) compensates: the ride was paid for and stays paid.
        Assert.Equal("CAPTURED", await RunAsync(() => db.Activities.ReleasePaymentAsync(id)));

        Assert.Equal("CAPTURED", await db.PaymentStatusAsync(id));
    }

    [Fact]
    public async Task Cancelling_stores_the_reason_and_a_cash_order_has_nothing_to_capture()
    {
        var id = (await db.CreateOrderAsync("cash")).OrderId;
        using var transitions = new MetricCollector<long>(db.Services.GetRequiredService<IMeterFactory>(), OrderSagaSteps.MeterName, "go1.orders.transitions");

        Assert.Null(await RunAsync(() => db.Activities.CapturePaymentAsync(id)));
        Assert.Equal("CANCELLED", await RunAsync(() => db.Activities.CancelAsync(id, CancelReasons.NoDriverFound)));
        Assert.Equal("CANCELLED", await RunAsync(() => db.Activities.CancelAsync(id, CancelReasons.CustomerCanceled)));

        Assert.Equal(("CANCELLED", CancelReasons.NoDriverFound, (string?)null, 2L), await db.OrderAsync(id));
        var counted = Assert.Single(transitions.GetMeasurementSnapshot()); // the repeat changed nothing, so it counts nothing
        Assert.Equal(("CANCELLED", CancelReasons.NoDriverFound), (counted.Tags["status"], counted.Tags["sub_status"]));
    }

    [Fact]
    public async Task An_illegal_transition_fails_for_good_with_the_domain_code()
    {
        var id = (await db.CreateOrderAsync("cash")).OrderId;

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() => RunAsync(() => db.Activities.CompleteAsync(id)));

        Assert.Equal((ErrorCodes.IllegalTransition, true), (failure.ErrorType, failure.NonRetryable));
        Assert.Equal(("FINDING", 1L), ((await db.OrderAsync(id)).Status, (await db.OrderAsync(id)).Version));
    }

    [Fact]
    public async Task Assigning_a_driver_to_a_cancelled_order_fails_for_good()
    {
        var id = (await db.CreateOrderAsync("cash")).OrderId;
        await RunAsync(() => db.Activities.CancelAsync(id, CancelReasons.CustomerCanceled));

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() => RunAsync(() => db.Activities.AssignDriverAsync(id, Driver)));

        Assert.Equal(ErrorCodes.IllegalTransition, failure.ErrorType);
    }

    [Fact]
    public async Task Storing_an_order_read_before_someone_else_changed_it_is_refused()
    {
        var id = (await db.CreateOrderAsync("cash")).OrderId;
        var repository = db.Services.GetRequiredService<IOrderRepository>();
        var stale = (await repository.FindAsync(id, TestContext.Current.CancellationToken))!;
        await RunAsync(() => db.Activities.AssignDriverAsync(id, Driver));

        stale.Cancel(CancelReasons.CustomerCanceled, DateTimeOffset.UtcNow);

        await Assert.ThrowsAsync<ConcurrentUpdateException>(() => repository.UpdateAsync(stale, TestContext.Current.CancellationToken));
        Assert.Equal(("ASSIGNED", 2L), ((await db.OrderAsync(id)).Status, (await db.OrderAsync(id)).Version));
    }
}
