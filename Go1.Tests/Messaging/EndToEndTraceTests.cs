using Go1.Messaging;
using Go1.Orders;
using Go1.OrderWorker.Handlers;
using Go1.Tests.Api;
using Go1.Tests.Saga;
using Go1.Tests.ServiceDefaults;

namespace Go1.Tests.Messaging;

/// <summary>One trace from the HTTP request through the outbox and Kafka into the worker's handler.</summary>
public sealed class EndToEndTraceTests(OrderApiFixture api, KafkaMockCluster kafka) : IClassFixture<OrderApiFixture>
{
    [Fact]
    public async Task The_worker_handles_order_created_inside_the_trace_of_the_http_request()
    {
        foreach (var topic in new[] { OrderCreated.Topic, OrderCreated.Topic + ".retry", OrderCreated.Topic + ".dlq" })
        {
            kafka.CreateTopic(topic);
        }

        var workflows = new RecordingOrderWorkflows();
        var builder = TestHost.Builder(
            ("ConnectionStrings:kafka", kafka.BootstrapServers),
            ("Aspire:Confluent:Kafka:Consumer:Config:GroupId", $"trace-{Guid.NewGuid():N}"),
            ("Aspire:Confluent:Kafka:Consumer:Config:FetchWaitMaxMs", "10"));
        builder.Services.AddSingleton<IOrderWorkflows>(workflows);
        builder.Services.AddSingleton(NpgsqlDataSource.Create(api.ConnectionString)).AddOrdersModule(builder.Configuration);
        builder.AddTopicConsumers("go1-orderworker", typeof(OrderCreatedHandler));
        // The SDK is what samples spans in a service; here a listener stands in for it.
        using var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        using var worker = builder.Build();
        await worker.StartAsync(TestContext.Current.CancellationToken);

        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/orders") { Content = JsonContent.Create(OrderApiFixture.ValidOrder()) };
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        var order = await OrderApiFixture.ReadOrderAsync(await api.ClientFor($"rider-{Guid.NewGuid():N}").SendAsync(request, TestContext.Current.CancellationToken));

        await Eventually.HoldsAsync(() => workflows.Calls.Any(c => c.OrderId == order.Id), TimeSpan.FromSeconds(30), "the worker handles the order's event");

        Assert.Equal(traceId, workflows.Calls.First(c => c.OrderId == order.Id).TraceId);
        await worker.StopAsync(TestContext.Current.CancellationToken);
    }
}
