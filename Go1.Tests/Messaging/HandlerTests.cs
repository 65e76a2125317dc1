using Go1.Messaging;
using Go1.OrderWorker.Handlers;
using Go1.OrderWorker.Messaging;
using Go1.Tests.Saga;

namespace Go1.Tests.Messaging;

/// <summary>Topic contracts (wire-compatible with the Go system) turned into workflow starts and signals.</summary>
public sealed class HandlerTests
{
    /// <summary>The orders table as the handlers read it: the orders put in <see cref="Stored"/>.</summary>
    private sealed class StoredOrders : IOrderRepository
    {
        public Dictionary<Guid, RideOrder> Stored { get; } = [];

        public Task<RideOrder?> FindAsync(Guid id, CancellationToken cancellationToken) => Task.FromResult(Stored.GetValueOrDefault(id));

        public Task<StoredOrder> CreateAsync(RideOrder order, OrderCreated created, IdempotencyClaim? claim, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task UpdateAsync(RideOrder order, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<(RideOrder Order, string RequestHash)?> FindByIdempotencyKeyAsync(string callerId, string key, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    private static readonly Guid OrderId = Guid.CreateVersion7();
    private readonly RecordingOrderWorkflows _workflows = new();
    private readonly StoredOrders _orders = new();

    private static ConsumeResult<string, byte[]> Message(string topic, string json, string? eventType = null) => new()
    {
        Topic = topic,
        Message = new Message<string, byte[]>
        {
            Key = OrderId.ToString(),
            Value = Encoding.UTF8.GetBytes(json),
            Headers = eventType is null ? [] : new Headers { { "event-type", Encoding.UTF8.GetBytes(eventType) } },
        },
    };

    private Task DispatchAsync(string json) =>
        new DispatchEventsHandler(_workflows, new SignalTarget(_orders, Options.Create(new OrderSagaReconcilerOptions())), NullLogger<DispatchEventsHandler>.Instance).HandleAsync(Message(DispatchEvent.Topic, json), TestContext.Current.CancellationToken);

    private Task ShipmentAsync(string json) =>
        new ShipmentEventsHandler(_workflows, new SignalTarget(_orders, Options.Create(new OrderSagaReconcilerOptions()))).HandleAsync(Message(ShipmentEvent.Topic, json), TestContext.Current.CancellationToken);

    private Task OrderCreatedAsync(string json, string eventType = "OrderCreated") =>
        new OrderCreatedHandler(_workflows, _orders, NullLogger<OrderCreatedHandler>.Instance).HandleAsync(Message(OrderCreated.Topic, json, eventType), TestContext.Current.CancellationToken);

    [Fact]
    public async Task Assigned_dispatch_signals_the_driver_to_the_workflow()
    {
        await DispatchAsync($$$"""{"order_id":"{{{OrderId}}}","dispatch_status":"ASSIGNED","driver":{"id":"drv-1","phone":"+84","name":"Tuan"}}""");
        Assert.Equal([$"dispatched {OrderId} drv-1 +84 Tuan"], _workflows.Calls.Select(c => c.ToString()));
    }

    [Fact]
    public async Task Other_dispatch_statuses_need_no_action()
    {
        await DispatchAsync($$"""{"order_id":"{{OrderId}}","dispatch_status":"SEARCHING"}""");
        Assert.Empty(_workflows.Calls);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"dispatch_status":"ASSIGNED","driver":{"id":"d"}}""")]
    [InlineData("""{"order_id":"00000000-0000-0000-0000-000000000000","dispatch_status":"ASSIGNED","driver":{"id":"d"}}""")]
    public async Task Unusable_dispatch_events_are_poison(string json) =>
        await Assert.ThrowsAsync<PoisonMessageException>(() => DispatchAsync(json));

    [Theory]
    [InlineData("success")]
    [InlineData("ASSIGNED")]
    public async Task A_dispatch_that_names_no_driver_assigns_the_driver_stored_on_the_order(string status)
    {
        // The Go system's dispatch sends {"order_id", "dispatch_status": "success"}: the driver is the one its admin chose.
        _orders.Stored[OrderId] = AdminOrder(driverId: "driver_123");

        await DispatchAsync($$"""{"order_id":"{{OrderId}}","dispatch_status":"{{status}}"}""");

        Assert.Equal([$"dispatched {OrderId} driver_123"], _workflows.Calls.Select(c => c.ToString()));
    }

    [Fact]
    public async Task A_dispatch_with_no_driver_for_an_order_without_one_is_dead_lettered_saying_so()
    {
        _orders.Stored[OrderId] = AdminOrder(driverId: null);

        var poison = await Assert.ThrowsAsync<PoisonMessageException>(() => DispatchAsync($$"""{"order_id":"{{OrderId}}","dispatch_status":"success"}"""));

        Assert.Contains("names no driver, and the order has none", poison.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<PoisonMessageException>(() => DispatchAsync($$"""{"order_id":"{{Guid.CreateVersion7()}}","dispatch_status":"success"}"""));
    }

    [Theory]
    [InlineData(900, 900)]
    [InlineData(60, 480)]
    public async Task A_signal_for_a_workflow_that_does_not_exist_yet_is_retried_until_a_lost_saga_would_be_started_again(int autoCancelSeconds, int windowSeconds)
    {
        // At least the order's auto-cancel interval (its OrderCreated may still be on its way), and at least until the
        // reconciler restarts a workflow Temporal lost (grace 2 min + interval 5 min, and a minute to spare).
        _orders.Stored[OrderId] = TestOrders.New("cash", autoCancelSeconds: autoCancelSeconds, id: OrderId);
        _workflows.Failure = call => new WorkflowNotStartedException(call.OrderId);

        var later = await Assert.ThrowsAsync<RetryLaterException>(() => ShipmentAsync($$"""{"order_id":"{{OrderId}}","status":"DELIVERED"}"""));

        Assert.Equal(TimeSpan.FromSeconds(windowSeconds), later.Window);
    }

    /// <summary>An order an admin placed for a customer, naming its driver or not.</summary>
    private static RideOrder AdminOrder(string? driverId) => RideOrder.Create(OrderId, new Caller("admin-1", Audience.AdminPortal, "web", null),
        new ServiceSnapshot("taxi", ServiceType.RideTaxi, "Taxi", "METERED", TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(1), []),
        new OrderDraft("cash", null, new("cust_123", null, null), driverId is null ? null : new(driverId, null, null),
            [new(10.7769, 106.7009, "SGN", "pickup", 0), new(10.8231, 106.6297, "Home", "dropoff", 1)], null, null, false, null, false, null, null),
        DateTimeOffset.UtcNow);

    [Theory]
    [InlineData("DELIVERED", "delivered")]
    [InlineData("CANCELED", "canceled")]
    public async Task Shipment_status_becomes_its_signal(string status, string call)
    {
        await ShipmentAsync($$"""{"order_id":"{{OrderId}}","status":"{{status}}"}""");
        Assert.Equal([$"{call} {OrderId}"], _workflows.Calls.Select(c => c.ToString()));
    }

    [Theory]
    [InlineData("""{"order_id":"0195f0a0-0000-7000-8000-000000000000","status":"LOST"}""")]
    [InlineData("""{"status":"DELIVERED"}""")]
    [InlineData("[]")]
    public async Task Unusable_shipment_events_are_poison(string json) =>
        await Assert.ThrowsAsync<PoisonMessageException>(() => ShipmentAsync(json));

    [Fact]
    public async Task Order_created_starts_the_workflow_from_the_stored_order_and_other_event_types_are_left_alone()
    {
        var order = TestOrders.New("cash", id: OrderId);
        order.Cancel(CancelReasons.CustomerCanceled, DateTimeOffset.UtcNow);
        _orders.Stored[OrderId] = order;
        var json = $$"""{"event_id":"{{Guid.CreateVersion7()}}","order_id":"{{OrderId}}","workflow_id":"order-{{OrderId}}","status":"FINDING"}""";

        await OrderCreatedAsync(json);
        await OrderCreatedAsync(json, eventType: "OrderArchived");

        // The event says FINDING, but the order has moved on since: the saga learns where it stands now.
        Assert.Equal([$"start {OrderId} from CANCELLED"], _workflows.Calls.Select(c => c.ToString()));
        await Assert.ThrowsAsync<PoisonMessageException>(() => OrderCreatedAsync("""{"status":"FINDING"}"""));
    }

    [Fact]
    public async Task Order_created_for_an_order_that_does_not_exist_is_poison()
    {
        var json = $$"""{"event_id":"{{Guid.CreateVersion7()}}","order_id":"{{OrderId}}","workflow_id":"order-{{OrderId}}","status":"FINDING"}""";

        await Assert.ThrowsAsync<PoisonMessageException>(() => OrderCreatedAsync(json));
        Assert.Empty(_workflows.Calls);
    }
}
