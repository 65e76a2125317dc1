using Go1.OrderWorker.Saga.Payments;
using Go1.Tests.Saga;

namespace Go1.Tests.Infrastructure;

/// <summary>The <c>payments</c> table as the saga's steps use it, on a real PostgreSQL.</summary>
public sealed class PostgresPaymentStoreTests(SagaDatabase db) : IClassFixture<SagaDatabase>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IPaymentStore Store => db.Services.GetRequiredService<IPaymentStore>();

    [Fact]
    public async Task Capture_and_release_can_never_both_win()
    {
        var id = (await db.CreateOrderAsync("card")).OrderId;
        var now = DateTimeOffset.UtcNow;
        await Store.SaveAsync(OrderPayment.Authorized(id, PaymentMethod.Card, 50_000, "VND", $"sim_{id:N}", now), Ct);
        // Two writers read the same AUTHORIZED payment: a capture and a release (a stale attempt, a second saga).
        var capture = (await Store.FindAsync(id, Ct))!;
        var release = (await Store.FindAsync(id, Ct))!;

        capture.Capture(now);
        await Store.SaveAsync(capture, Ct);
        release.Void(now);
        var refused = await Assert.ThrowsAsync<DomainException>(() => Store.SaveAsync(release, Ct));

        Assert.Equal(ErrorCodes.IllegalPaymentTransition, refused.Code);
        Assert.Equal("CAPTURED", await db.PaymentStatusAsync(id));
    }

    [Fact]
    public async Task A_second_authorization_never_replaces_the_first()
    {
        var id = (await db.CreateOrderAsync("card")).OrderId;
        var now = DateTimeOffset.UtcNow;
        await Store.SaveAsync(OrderPayment.Authorized(id, PaymentMethod.Card, 50_000, "VND", $"sim_{id:N}", now), Ct);
        var stored = (await Store.FindAsync(id, Ct))!;
        stored.Void(now);
        await Store.SaveAsync(stored, Ct);

        // A late authorize attempt finishing after the release must not bring the hold back.
        await Assert.ThrowsAsync<DomainException>(() => Store.SaveAsync(OrderPayment.Authorized(id, PaymentMethod.Card, 50_000, "VND", $"sim_{id:N}", now), Ct));

        Assert.Equal("VOIDED", await db.PaymentStatusAsync(id));
    }
}
