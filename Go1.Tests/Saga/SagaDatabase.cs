using Go1.Orders;
using Go1.Orders.Application.CreateOrder;
using Microsoft.Extensions.Configuration;

namespace Go1.Tests.Saga;

/// <summary>The saga's steps and activities wired to their own migrated database, with helpers to create and read orders.</summary>
public sealed class SagaDatabase(PostgresServer postgres) : IAsyncLifetime
{
    private ServiceProvider _services = null!;

    public string ConnectionString { get; private set; } = string.Empty;

    public OrderActivities Activities => _services.GetRequiredService<OrderActivities>();

    public IServiceProvider Services => _services;

    public async ValueTask InitializeAsync()
    {
        ConnectionString = await postgres.CreateMigratedDatabaseAsync("go1_saga");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Payments:Simulator:DeclineAmountsAbove"] = "5000000",
        }).Build();
        _services = new ServiceCollection()
            .AddLogging()
            .AddMetrics()
            .AddSingleton(NpgsqlDataSource.Create(ConnectionString))
            .AddOrdersModule(configuration)
            .AddOrderSagaSteps(configuration)
            .AddSingleton<OrderActivities>()
            .BuildServiceProvider();
    }

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();

    /// <summary>Stores a new order as POST /orders would (with its OrderCreated) and returns that event.</summary>
    public async Task<OrderCreated> CreateOrderAsync(string paymentMethod = "card", Dictionary<string, string>? paymentConfig = null, int autoCancelSeconds = 300, bool scheduled = false)
    {
        var order = TestOrders.New(paymentMethod, paymentConfig, autoCancelSeconds, scheduled);
        var created = OrderCreated.For(order, Guid.CreateVersion7());
        await _services.GetRequiredService<IOrderRepository>().CreateAsync(order, created, null, TestContext.Current.CancellationToken);
        return created;
    }

    /// <summary>Places a taxi order from <paramref name="from"/> to <paramref name="to"/> the way POST /orders does: priced by the server.</summary>
    public async Task<Guid> PlaceOrderAsync(string paymentMethod, (double Lat, double Lng) from, (double Lat, double Lng) to)
    {
        var draft = new OrderDraft(paymentMethod, new Dictionary<string, string> { ["card_token"] = "tok_visa" }, null, null,
            [new(from.Lat, from.Lng, "from", "pickup", 0), new(to.Lat, to.Lng, "to", "dropoff", 1)], null, null, false, null, false, null, null);
        var stored = await _services.GetRequiredService<CreateOrderHandler>().HandleAsync(
            new CreateOrderCommand(new Caller($"rider-{Guid.NewGuid():N}", Audience.UserApp, "ios", null), "taxi", draft), TestContext.Current.CancellationToken);
        return stored.Order.Id;
    }

    public async Task<(string Status, string? SubStatus, string? DriverId, long Version)> OrderAsync(Guid id)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        return await connection.QuerySingleAsync<(string, string?, string?, long)>(
            "SELECT status, sub_status, driver->>'id', version FROM orders WHERE id = @id", new { id });
    }

    /// <summary>The payment row's status, or null when the order has none.</summary>
    public async Task<string?> PaymentStatusAsync(Guid orderId)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        return await connection.QuerySingleOrDefaultAsync<string?>("SELECT status FROM payments WHERE order_id = @orderId", new { orderId });
    }

    public async Task<(long Amount, string Currency)> PaymentAmountAsync(Guid orderId)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        return await connection.QuerySingleAsync<(long, string)>("SELECT amount, currency FROM payments WHERE order_id = @orderId", new { orderId });
    }

    public static OrderWorkflowInput Input(OrderCreated created, TimeSpan? maxRide = null) => new(created, maxRide ?? TimeSpan.FromHours(4), new OrderProgress(created.Status, null));
}
