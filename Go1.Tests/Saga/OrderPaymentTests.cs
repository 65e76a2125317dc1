namespace Go1.Tests.Saga;

public sealed class OrderPaymentTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    private static OrderPayment Authorized() => OrderPayment.Authorized(Guid.CreateVersion7(), PaymentMethod.Card, 120_000, "VND", "sim_x", Now);

    [Fact]
    public void An_authorized_payment_is_captured_then_refunded_and_repeats_are_no_ops()
    {
        var payment = Authorized();

        Assert.True(payment.Capture(Now.AddMinutes(30)));
        Assert.False(payment.Capture(Now.AddMinutes(31)));
        Assert.Equal((PaymentStatus.Captured, Now.AddMinutes(30)), (payment.Status, payment.UpdatedAt));
        Assert.True(payment.Refund(Now.AddDays(1)));
        Assert.False(payment.Refund(Now.AddDays(2)));
        Assert.Equal(PaymentStatus.Refunded, payment.Status);
    }

    [Fact]
    public void A_voided_payment_can_never_be_captured()
    {
        var payment = Authorized();

        Assert.True(payment.Void(Now));
        Assert.False(payment.Void(Now));
        var error = Assert.Throws<DomainException>(() => payment.Capture(Now));
        Assert.Equal(ErrorCodes.IllegalPaymentTransition, error.Code);
    }

    [Fact]
    public void An_authorized_payment_cannot_be_refunded_before_it_was_captured()
    {
        Assert.Equal(ErrorCodes.IllegalPaymentTransition, Assert.Throws<DomainException>(() => Authorized().Refund(Now)).Code);
    }
}
