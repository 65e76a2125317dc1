using Go1.FlowCheck;
using Go1.OrderWorker.Messaging;
using Go1.Tests.ChangeCapture;
using Go1.Tests.ServiceDefaults;

namespace Go1.Tests.Saga;

/// <summary>
/// The end-to-end flow tool against a real API, a real outbox relay, the Kafka peer, OrderWorker's real
/// consumers and CdcSync. Temporal is not available here, so the worker's workflow port runs the saga's steps directly
/// (in order, without timers): what is under test is that the tool drives and checks the flow.
/// </summary>
public sealed class FlowCheckTests(SagaDatabase db, RedisServer redis, KafkaMockCluster kafka) : IClassFixture<SagaDatabase>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The saga's steps in the order OrderWorkflow runs them, for orders of this test's database.</summary>
    private sealed class DirectSaga(OrderSagaSteps steps) : IOrderWorkflows
    {
        public Task StartAsync(OrderCreated created, OrderProgress progress, CancellationToken cancellationToken) => OursAsync(async () =>
        {
            if (created.PaymentType == "PREPAID")
            {
                await steps.AuthorizePaymentAsync(created.OrderId, cancellationToken);
                await steps.ConfirmPaymentAsync(created.OrderId, cancellationToken);
            }
        });

        public Task<SagaRunStatus> StatusAsync(Guid orderId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task OrderDispatchedAsync(Guid orderId, Party driver, CancellationToken cancellationToken) =>
            OursAsync(() => steps.AssignDriverAsync(orderId, driver, cancellationToken));

        public Task OrderDeliveredAsync(Guid orderId, CancellationToken cancellationToken) => OursAsync(async () =>
        {
            await steps.CapturePaymentAsync(orderId, cancellationToken);
            await steps.CompleteAsync(orderId, cancellationToken);
        });

        public Task OrderCanceledAsync(Guid orderId, CancellationToken cancellationToken) =>
            OursAsync(() => steps.CancelAsync(orderId, CancelReasons.CustomerCanceled, cancellationToken));

        // The shared Kafka peer also carries other tests' orders; they are not in this database.
        private static async Task OursAsync(Func<Task> step)
        {
            try
            {
                await step();
            }
            catch (DomainException ex) when (ex.Code == ErrorCodes.OrderNotFound)
            {
            }
        }
    }

    private ServiceFactory<OrderApiService> Api() => new(new Dictionary<string, string?>
    {
        ["ConnectionStrings:go1"] = db.ConnectionString,
        ["ConnectionStrings:redis"] = redis.ConnectionString,
        ["ConnectionStrings:kafka"] = kafka.BootstrapServers,
        ["Auth:Mode"] = "GatewayHeaders",
        ["Auth:Gateway:SharedSecret"] = Go1.Tests.Api.TestGateway.Secret,
    });

    private async Task<(int ExitCode, string Output)> RunFlowAsync(HttpClient api, TimeSpan stepTimeout)
    {
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers, EnableIdempotence = true }).Build();
        var output = new StringWriter();
        var user = $"flow-{Guid.NewGuid():N}";
        api.DefaultRequestHeaders.Add("X-User-Id", user);
        api.DefaultRequestHeaders.Add(Go1.Tests.Api.TestGateway.Header, Go1.Tests.Api.TestGateway.Secret);
        api.DefaultRequestHeaders.Add("X-User-Audience", "user_app");
        var exitCode = await new OrderFlow(api, producer, output, new FlowOptions { CustomerId = user, StepTimeout = stepTimeout, PollInterval = TimeSpan.FromMilliseconds(50) }).RunAsync(Ct);
        return (exitCode, output.ToString());
    }

    [Fact]
    public async Task The_flow_passes_when_the_order_goes_all_the_way_to_completed()
    {
        foreach (var topic in new[] { OrderCreated.Topic, DispatchEvent.Topic, ShipmentEvent.Topic })
        {
            kafka.CreateConsumedTopic(topic);
        }

        await using var api = Api();
        // Reads are cache-first: without CdcSync the cache would keep serving the order as first read.
        await using var cdc = CdcSyncHost.Postgres(db.ConnectionString, redis.ConnectionString);
        await cdc.StartAsync();
        var builder = TestHost.Builder(
            ("ConnectionStrings:kafka", kafka.BootstrapServers),
            ("Aspire:Confluent:Kafka:Consumer:Config:GroupId", $"flow-{Guid.NewGuid():N}"),
            ("Aspire:Confluent:Kafka:Consumer:Config:FetchWaitMaxMs", "10"));
        builder.Services.AddSingleton<IOrderWorkflows>(new DirectSaga(db.Services.GetRequiredService<OrderSagaSteps>()));
        builder.Services.AddSingleton(db.Services.GetRequiredService<IOrderRepository>());
        builder.AddOrderEventConsumers();
        using var worker = builder.Build();
        await worker.StartAsync(Ct);

        var (exitCode, output) = await RunFlowAsync(api.CreateClient(), TimeSpan.FromSeconds(30));
        await worker.StopAsync(Ct);

        Assert.True(exitCode == 0, output);
        Assert.Contains("PASSED", output, StringComparison.Ordinal);
        Assert.Contains("order is ASSIGNED", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_flow_fails_with_a_clear_reason_when_nothing_moves_the_order()
    {
        await using var api = Api();

        var (exitCode, output) = await RunFlowAsync(api.CreateClient(), TimeSpan.FromSeconds(2));

        Assert.Equal(1, exitCode);
        Assert.Contains("FAILED", output, StringComparison.Ordinal);
        Assert.Contains("did not reach FINDING within 2 s (last seen: WAITING_FOR_PAYMENT)", output, StringComparison.Ordinal);
    }
}
