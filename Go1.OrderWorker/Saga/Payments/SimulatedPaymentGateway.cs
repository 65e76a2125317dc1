namespace Go1.OrderWorker.Saga.Payments;

/// <summary>
/// A stand-in payment provider with a documented, configurable decline rule (see
/// <see cref="SimulatedPaymentGatewayOptions"/>). References are derived from the order id, so repeated
/// calls for one order are the same operation, as with a real provider's idempotency keys.
/// </summary>
public sealed partial class SimulatedPaymentGateway(SimulatedPaymentGatewayOptions options, ILogger<SimulatedPaymentGateway> logger) : IPaymentGateway
{
    public Task<PaymentDecision> AuthorizeAsync(Guid orderId, PaymentMethod method, long amount, string currency, IReadOnlyDictionary<string, string> config, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        var decision =
            config.TryGetValue("simulate", out var simulate) && simulate == "decline" ? PaymentDecision.Decline("declined by the payment config (simulate=decline)")
            : options.DeclineMethods.Contains(WireNames.Of(method)) ? PaymentDecision.Decline($"{WireNames.Of(method)} payments are declined")
            : amount > options.DeclineAmountsAbove ? PaymentDecision.Decline($"{amount} {currency} is over the limit of {options.DeclineAmountsAbove}")
            : PaymentDecision.Approve(ReferenceFor(orderId));
        LogAuthorization(logger, orderId, amount, currency, decision.Approved, decision.DeclineReason);
        return Task.FromResult(decision);
    }

    public Task CaptureAsync(string providerReference, long amount, CancellationToken cancellationToken) => Log("capture", providerReference);

    public Task VoidAsync(string providerReference, CancellationToken cancellationToken) => Log("void", providerReference);

    public Task RefundAsync(string providerReference, long amount, CancellationToken cancellationToken) => Log("refund", providerReference);

    public Task VoidAnyHoldAsync(Guid orderId, CancellationToken cancellationToken) => Log("void (if held)", ReferenceFor(orderId));

    private static string ReferenceFor(Guid orderId) => $"sim_{orderId:N}";

    private Task Log(string operation, string providerReference)
    {
        LogOperation(logger, operation, providerReference);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulated authorization of {Amount} {Currency} for order {OrderId}: approved={Approved} {Reason}")]
    private static partial void LogAuthorization(ILogger logger, Guid orderId, long amount, string currency, bool approved, string? reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulated {Operation} of {Reference}.")]
    private static partial void LogOperation(ILogger logger, string operation, string reference);
}
