namespace Go1.OrderWorker.Saga.Payments;

/// <summary>
/// The payment provider. Every call is idempotent per order (the provider keys it by order id), so a
/// retried saga activity never holds or moves money twice.
/// </summary>
public interface IPaymentGateway
{
    Task<PaymentDecision> AuthorizeAsync(Guid orderId, PaymentMethod method, long amount, string currency, IReadOnlyDictionary<string, string> config, CancellationToken cancellationToken);

    Task CaptureAsync(string providerReference, long amount, CancellationToken cancellationToken);

    Task VoidAsync(string providerReference, CancellationToken cancellationToken);

    /// <summary>
    /// Lets go of any hold placed for <paramref name="orderId"/> that Go1 never recorded (the authorization went
    /// through but storing it did not); nothing when there is none.
    /// </summary>
    Task VoidAnyHoldAsync(Guid orderId, CancellationToken cancellationToken);

    Task RefundAsync(string providerReference, long amount, CancellationToken cancellationToken);
}

/// <summary>The provider's answer to an authorization: a reference to the held money, or why not.</summary>
public sealed record PaymentDecision(bool Approved, string? ProviderReference, string? DeclineReason)
{
    public static PaymentDecision Approve(string providerReference) => new(true, providerReference, null);

    public static PaymentDecision Decline(string reason) => new(false, null, reason);
}
