extern alias orderworker;

using System.Text;
using Confluent.Kafka;
using Go1.Orders.Application.Events;
using Go1.Orders.Application.Ports;
using Go1.Orders.Domain;
using Microsoft.Extensions.Logging.Abstractions;
using orderworker::Go1.OrderWorker.Handlers;
using Go1.ServiceDefaults.Messaging;

namespace Go1.Tests.Messaging;

/// <summary>Topic contracts (wire-compatible with the Go system) turned into workflow starts and signals.</summary>
public sealed class HandlerTests
{
    private sealed class RecordingWorkflows : IOrderWorkflows
    {
        public List<string> Calls { get; } = [];

        public Task StartAsync(OrderCreated created, CancellationToken cancellationToken) => Record($"start {created.OrderId}");

        public Task OrderDispatchedAsync(Guid orderId, Party driver, CancellationToken cancellationToken) => Record($"dispatched {orderId} {driver.Id} {driver.Phone} {driver.Name}");

        public Task OrderDeliveredAsync(Guid orderId, CancellationToken cancellationToken) => Record($"delivered {orderId}");

        public Task OrderCanceledAsync(Guid orderId, CancellationToken cancellationToken) => Record($"canceled {orderId}");

        private Task Record(string call)
        {
            Calls.Add(call);
            return Task.CompletedTask;
        }
    }

    private static readonly Guid OrderId = Guid.CreateVersion7();
    private readonly RecordingWorkflows _workflows = new();

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
        new OrderCreatedHandler(_workflows, NullLogger<OrderCreatedHandler>.Instance).HandleAsync(Message(OrderCreated.Topic, json, eventType), TestContext.Current.CancellationToken);

    [Fact]
    public async Task Assigned_dispatch_signals_the_driver_to_the_workflow()
    {
        await DispatchAsync($$$"""{"order_id":"{{{OrderId}}}","dispatch_status":"ASSIGNED","driver":{"id":"drv-1","phone":"+84","name":"Tuan"}}""");
        Assert.Equal([$"dispatched {OrderId} drv-1 +84 Tuan"], _workflows.Calls);
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
        Assert.Equal([$"{call} {OrderId}"], _workflows.Calls);
    }

    [Theory]
    [InlineData("""{"order_id":"0195f0a0-0000-7000-8000-000000000000","status":"LOST"}""")]
    [InlineData("""{"status":"DELIVERED"}""")]
    [InlineData("[]")]
    public async Task Unusable_shipment_events_are_poison(string json) =>
        await Assert.ThrowsAsync<PoisonMessageException>(() => ShipmentAsync(json));

    [Fact]
    public async Task Order_created_starts_the_workflow_and_other_event_types_are_left_alone()
    {
        var json = $$"""{"event_id":"{{Guid.CreateVersion7()}}","order_id":"{{OrderId}}","workflow_id":"order-{{OrderId}}","status":"FINDING"}""";

        await OrderCreatedAsync(json);
        await OrderCreatedAsync(json, eventType: "OrderArchived");

        Assert.Equal([$"start {OrderId}"], _workflows.Calls);
        await Assert.ThrowsAsync<PoisonMessageException>(() => OrderCreatedAsync("""{"status":"FINDING"}"""));
    }
}
