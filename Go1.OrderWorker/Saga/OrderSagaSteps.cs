using System.Diagnostics.Metrics;
using Go1.OrderWorker.Saga.Payments;

namespace Go1.OrderWorker.Saga;

/// <summary>
/// The order saga's steps, one per activity. Each loads the order, moves it through the domain's state
/// machine and stores it (the database bumps its version, so the CDC cache follows). Each is idempotent:
/// repeating a step that already happened changes nothing, so activity retries are safe.
/// Rule violations surface as <see cref="DomainException"/> (not worth retrying).
/// </summary>
public sealed class OrderSagaSteps
{
    public const string MeterName = "Go1.Orders.Saga";
    private const int ConflictRetries = 3;

    private readonly IOrderRepository _orders;
    private readonly IPaymentStore _payments;
    private readonly IPaymentGateway _gateway;
    private readonly IFarePricing _pricing;
    private readonly TimeProvider _clock;
    private readonly Counter<long> _transitions;

    public OrderSagaSteps(IOrderRepository orders, IPaymentStore payments, IPaymentGateway gateway, IFarePricing pricing, TimeProvider clock, IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _orders = orders;
        _payments = payments;
        _gateway = gateway;
        _pricing = pricing;
        _clock = clock;
        _transitions = meterFactory.Create(MeterName).CreateCounter<long>(
            "go1.orders.transitions", "{order}", "Orders moved by the saga, by the status reached and, for cancellations, the reason (sub_status).");
    }

    /// <summary>
    /// Holds the fare the server priced for a prepaid order; returns the payment's status. Declines throw
    /// <see cref="PaymentDeclinedException"/>. A hold that loses the race against a release is let go at once.
    /// </summary>
    public async Task<string> AuthorizePaymentAsync(Guid orderId, CancellationToken cancellationToken)
    {
        if (await _payments.FindAsync(orderId, cancellationToken) is { } existing)
        {
            return existing.Status is PaymentStatus.Authorized or PaymentStatus.Captured
                ? WireNames.Of(existing.Status)
                : throw new DomainException(ErrorCodes.IllegalPaymentTransition, $"The payment of order {orderId} was already released ({WireNames.Of(existing.Status)}).");
        }

        var order = await LoadAsync(orderId, cancellationToken);
        if (order.Payment.PaymentType != PaymentType.Prepaid || OrderStatusMachine.IsFinal(order.Status))
        {
            throw new DomainException(ErrorCodes.IllegalPaymentTransition, $"Order {orderId} ({WireNames.Of(order.Status)}, {WireNames.Of(order.Payment.Method)}) has nothing to authorize.");
        }

        // Orders stored before pricing existed carry no fare: price them now, by the same rule.
        var fare = order.Payment.Fare ?? await _pricing.QuoteAsync(order.Service.Id, order.Points, cancellationToken);
        var decision = await _gateway.AuthorizeAsync(orderId, order.Payment.Method, fare.Amount, fare.Currency, order.Payment.Config, cancellationToken);
        if (!decision.Approved)
        {
            throw new PaymentDeclinedException(orderId, decision.DeclineReason ?? "no reason given");
        }

        var payment = OrderPayment.Authorized(orderId, order.Payment.Method, fare.Amount, fare.Currency,
            decision.ProviderReference ?? throw new InvalidOperationException("An approved authorization carries a provider reference."), _clock.GetUtcNow());
        try
        {
            await _payments.SaveAsync(payment, cancellationToken);
        }
        catch (DomainException)
        {
            // Another attempt got there first. Held or taken: that is the payment. Released meanwhile: let this hold go.
            if ((await _payments.FindAsync(orderId, cancellationToken))?.Status is { } stored and (PaymentStatus.Authorized or PaymentStatus.Captured))
            {
                return WireNames.Of(stored);
            }

            await _gateway.VoidAsync(payment.ProviderReference, cancellationToken);
            throw;
        }

        return WireNames.Of(payment.Status);
    }

    /// <summary>WAITING_FOR_PAYMENT → FINDING (or SCHEDULING for a scheduled order).</summary>
    public Task<string> ConfirmPaymentAsync(Guid orderId, CancellationToken cancellationToken) =>
        ChangeAsync(orderId, order => order.Status != OrderStatus.WaitingForPayment, (order, now) => order.ConfirmPayment(now), cancellationToken);

    /// <summary>SCHEDULING → FINDING, when the scheduled time has come.</summary>
    public Task<string> StartFindingAsync(Guid orderId, CancellationToken cancellationToken) =>
        ChangeAsync(orderId, order => order.Status == OrderStatus.Finding, (order, now) => order.StartFinding(now), cancellationToken);

    /// <summary>FINDING → ASSIGNED with <paramref name="driver"/> stored.</summary>
    public Task<string> AssignDriverAsync(Guid orderId, Party driver, CancellationToken cancellationToken) =>
        ChangeAsync(orderId, order => order.Status == OrderStatus.Assigned && order.Driver?.Id == driver.Id, (order, now) => order.AssignDriver(driver, now), cancellationToken);

    /// <summary>ASSIGNED → COMPLETED.</summary>
    public Task<string> CompleteAsync(Guid orderId, CancellationToken cancellationToken) =>
        ChangeAsync(orderId, order => order.Status == OrderStatus.Completed, (order, now) => order.Complete(now), cancellationToken);

    /// <summary>Any non-final status → CANCELLED with <paramref name="reason"/> as sub-status.</summary>
    public Task<string> CancelAsync(Guid orderId, string reason, CancellationToken cancellationToken) =>
        ChangeAsync(orderId, order => order.Status == OrderStatus.Cancelled, (order, now) => order.Cancel(reason, now), cancellationToken);

    /// <summary>Takes the held money once the ride is done; returns the payment's status, or null for a cash order.</summary>
    public async Task<string?> CapturePaymentAsync(Guid orderId, CancellationToken cancellationToken)
    {
        if (await _payments.FindAsync(orderId, cancellationToken) is not { } payment)
        {
            return null;
        }

        if (payment.Capture(_clock.GetUtcNow()))
        {
            // Provider first: if storing fails, the retry captures again, which the provider treats as the same capture.
            await _gateway.CaptureAsync(payment.ProviderReference, payment.Amount, cancellationToken);
            await _payments.SaveAsync(payment, cancellationToken);
        }

        return WireNames.Of(payment.Status);
    }

    /// <summary>
    /// The compensation of <see cref="AuthorizePaymentAsync"/>: releases held money, or refunds captured money unless
    /// the ride was completed (then the money was rightly taken, whoever asks to release it).
    /// </summary>
    public async Task<string?> ReleasePaymentAsync(Guid orderId, CancellationToken cancellationToken)
    {
        if (await _payments.FindAsync(orderId, cancellationToken) is not { } payment)
        {
            // Never recorded: the step did not run, or it placed a hold and failed before storing it.
            await _gateway.VoidAnyHoldAsync(orderId, cancellationToken);
            return null;
        }

        if (payment.Status == PaymentStatus.Captured && (await LoadAsync(orderId, cancellationToken)).Status == OrderStatus.Completed)
        {
            return WireNames.Of(payment.Status);
        }

        var now = _clock.GetUtcNow();
        if (payment.Status == PaymentStatus.Authorized && payment.Void(now))
        {
            await _gateway.VoidAsync(payment.ProviderReference, cancellationToken);
            await _payments.SaveAsync(payment, cancellationToken);
        }
        else if (payment.Status == PaymentStatus.Captured && payment.Refund(now))
        {
            await _gateway.RefundAsync(payment.ProviderReference, payment.Amount, cancellationToken);
            await _payments.SaveAsync(payment, cancellationToken);
        }

        return WireNames.Of(payment.Status);
    }

    private async Task<RideOrder> LoadAsync(Guid orderId, CancellationToken cancellationToken) =>
        await _orders.FindAsync(orderId, cancellationToken)
        ?? throw new DomainException(ErrorCodes.OrderNotFound, $"Order {orderId} does not exist.");

    /// <summary>
    /// Unless <paramref name="done"/> says the step already happened, applies <paramref name="move"/> (the domain
    /// refuses illegal ones) and stores it; re-reads and decides again when another writer got there first.
    /// </summary>
    private async Task<string> ChangeAsync(Guid orderId, Func<RideOrder, bool> done, Action<RideOrder, DateTimeOffset> move, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var order = await LoadAsync(orderId, cancellationToken);
            if (done(order))
            {
                return WireNames.Of(order.Status);
            }

            move(order, _clock.GetUtcNow());

            try
            {
                await _orders.UpdateAsync(order, cancellationToken);
                _transitions.Add(1, new KeyValuePair<string, object?>("status", WireNames.Of(order.Status)), new("sub_status", order.SubStatus ?? string.Empty));
                return WireNames.Of(order.Status);
            }
            catch (ConcurrentUpdateException) when (attempt < ConflictRetries)
            {
                // Someone else changed the order; decide again on what is stored now.
            }
        }
    }
}
