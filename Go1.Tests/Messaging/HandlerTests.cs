extern alias orderworker;

using System.Text;
using Confluent.Kafka;
using Go1.Orders.Application.Events;
using Go1.Orders.Application.Ports;
using Go1.Orders.Application.Saga;
using Go1.Orders.Domain;
using Microsoft.Extensions.Logging.Abstractions;
using orderworker::Go1.OrderWorker.Handlers;
using Go1.ServiceDefaults.Messaging;
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
        new DispatchEventsHandler(_workflows, NullLogger<DispatchEventsHandler>.Instance).HandleAsync(Message(DispatchEvent.Topic, json), TestContext.Current.CancellationToken);

    private Task ShipmentAsync(string json) =>
        new ShipmentEventsHandler(_workflows).HandleAsync(Message(ShipmentEvent.Topic, json), TestContext.Current.CancellationToken);

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

    [Fact]
    public async Task Assigned_without_a_driver_is_poison() =>
        await Assert.ThrowsAsync<PoisonMessageException>(() => DispatchAsync($$"""{"order_id":"{{OrderId}}","dispatch_status":"ASSIGNED"}"""));

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
