using Go1.OrderWorker.Saga.Payments;

namespace Go1.Tests.Saga;

/// <summary>Two attempts of one step racing over the same payment (a stale attempt, a second run), on a real PostgreSQL.</summary>
public sealed class OrderSagaStepsRaceTests(SagaDatabase db) : IClassFixture<SagaDatabase>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The payments table, except that the first read misses: the other attempt's write lands just after it.</summary>
    private sealed class LateReader(IPaymentStore inner) : IPaymentStore
    {
        private int _reads;

        public Task<OrderPayment?> FindAsync(Guid orderId, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _reads) == 1 ? Task.FromResult<OrderPayment?>(null) : inner.FindAsync(orderId, cancellationToken);

        public Task SaveAsync(OrderPayment payment, CancellationToken cancellationToken) => inner.SaveAsync(payment, cancellationToken);
    }

    /// <summary>The provider, approving everything and remembering what it was asked to void.</summary>
    private sealed class Provider : IPaymentGateway
    {
        public List<string> Voided { get; } = [];

        public Task<PaymentDecision> AuthorizeAsync(Guid orderId, PaymentMethod method, long amount, string currency, IReadOnlyDictionary<string, string> config, CancellationToken cancellationToken) =>
            Task.FromResult(PaymentDecision.Approve($"sim_{orderId:N}"));

        public Task CaptureAsync(string providerReference, long amount, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task VoidAsync(string providerReference, CancellationToken cancellationToken)
        {
            Voided.Add(providerReference);
            return Task.CompletedTask;
        }

        public Task RefundAsync(string providerReference, long amount, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task VoidAnyHoldAsync(Guid orderId, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private OrderSagaSteps Steps(IPaymentStore payments, IPaymentGateway gateway) => new(
        db.Services.GetRequiredService<IOrderRepository>(), payments, gateway, db.Services.GetRequiredService<IFarePricing>(), TimeProvider.System,
        db.Services.GetRequiredService<IMeterFactory>());

    [Fact]
    public async Task A_late_authorization_never_voids_money_another_attempt_already_captured()
    {
        var id = (await db.CreateOrderAsync("card")).OrderId;
        var store = db.Services.GetRequiredService<IPaymentStore>();
        var captured = OrderPayment.Authorized(id, PaymentMethod.Card, 50_000, "VND", $"sim_{id:N}", DateTimeOffset.UtcNow);
        await store.SaveAsync(captured, Ct);
        var stored = (await store.FindAsync(id, Ct))!;
        stored.Capture(DateTimeOffset.UtcNow);
        await store.SaveAsync(stored, Ct);
        var provider = new Provider();

        var status = await Steps(new LateReader(store), provider).AuthorizePaymentAsync(id, Ct);

        Assert.Equal("CAPTURED", status);
        Assert.Empty(provider.Voided);
    }

    [Fact]
    public async Task A_late_authorization_after_a_release_lets_its_own_hold_go()
    {
        var id = (await db.CreateOrderAsync("card")).OrderId;
        var store = db.Services.GetRequiredService<IPaymentStore>();
        await store.SaveAsync(OrderPayment.Authorized(id, PaymentMethod.Card, 50_000, "VND", $"sim_{id:N}", DateTimeOffset.UtcNow), Ct);
        var stored = (await store.FindAsync(id, Ct))!;
        stored.Void(DateTimeOffset.UtcNow);
        await store.SaveAsync(stored, Ct);
        var provider = new Provider();

        var refused = await Assert.ThrowsAsync<DomainException>(() => Steps(new LateReader(store), provider).AuthorizePaymentAsync(id, Ct));

        Assert.Equal(ErrorCodes.IllegalPaymentTransition, refused.Code);
        Assert.Equal([$"sim_{id:N}"], provider.Voided);
    }
}
