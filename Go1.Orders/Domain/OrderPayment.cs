namespace Go1.Orders.Domain;

/// <summary>
/// The money held for one prepaid order. Authorized before a driver is sought, captured only when the ride
/// completes, voided (or refunded, once captured) when it does not. Repeating a step that already happened
/// is a no-op (false), so saga activities can be retried; anything else illegal throws.
/// </summary>
public sealed class OrderPayment
{
    private OrderPayment()
    {
    }

    public Guid OrderId { get; private init; }

    public PaymentMethod Method { get; private init; }

    /// <summary>Minor units of <see cref="Currency"/>.</summary>
    public long Amount { get; private init; }

    public string Currency { get; private init; } = string.Empty;

    public PaymentStatus Status { get; private set; }

    /// <summary>The status it had when read from storage (null for a new payment): a store applies a change only over that.</summary>
    public PaymentStatus? StoredStatus { get; private init; }

    public string ProviderReference { get; private init; } = string.Empty;

    public DateTimeOffset CreatedAt { get; private init; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public static OrderPayment Authorized(Guid orderId, PaymentMethod method, long amount, string currency, string providerReference, DateTimeOffset at)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        ArgumentException.ThrowIfNullOrWhiteSpace(currency);
        ArgumentException.ThrowIfNullOrWhiteSpace(providerReference);
        return new()
        {
            OrderId = orderId, Method = method, Amount = amount, Currency = currency, Status = PaymentStatus.Authorized,
            ProviderReference = providerReference, CreatedAt = at, UpdatedAt = at,
        };
    }

    public static OrderPayment Rehydrate(Guid orderId, PaymentMethod method, long amount, string currency, PaymentStatus status,
        string providerReference, DateTimeOffset createdAt, DateTimeOffset updatedAt) => new()
        {
            OrderId = orderId, Method = method, Amount = amount, Currency = currency, Status = status, StoredStatus = status,
            ProviderReference = providerReference, CreatedAt = createdAt, UpdatedAt = updatedAt,
        };

    /// <summary>AUTHORIZED → CAPTURED; false when already captured.</summary>
    public bool Capture(DateTimeOffset at) => Move(PaymentStatus.Authorized, PaymentStatus.Captured, at);

    /// <summary>AUTHORIZED → VOIDED; false when already voided.</summary>
    public bool Void(DateTimeOffset at) => Move(PaymentStatus.Authorized, PaymentStatus.Voided, at);

    /// <summary>CAPTURED → REFUNDED; false when already refunded.</summary>
    public bool Refund(DateTimeOffset at) => Move(PaymentStatus.Captured, PaymentStatus.Refunded, at);

    private bool Move(PaymentStatus from, PaymentStatus to, DateTimeOffset at)
    {
        if (Status == to)
        {
            return false;
        }

        if (Status != from)
        {
            throw new DomainException(ErrorCodes.IllegalPaymentTransition, $"A {WireNames.Of(Status)} payment cannot become {WireNames.Of(to)}.");
        }

        Status = to;
        UpdatedAt = at;
        return true;
    }
}
