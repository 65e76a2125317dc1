using System.Diagnostics.Metrics;
using System.Globalization;
using Go1.Orders.Application.Ports;
using Go1.Orders.Domain;

namespace Go1.Orders.Application.Saga;

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
    private readonly PaymentOptions _options;
    private readonly TimeProvider _clock;
    private readonly Counter<long> _transitions;

    public OrderSagaSteps(IOrderRepository orders, IPaymentStore payments, IPaymentGateway gateway, PaymentOptions options, TimeProvider clock, IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _orders = orders;
        _payments = payments;
        _gateway = gateway;
        _options = options;
        _clock = clock;
        _transitions = meterFactory.Create(MeterName).CreateCounter<long>(
            "go1.orders.transitions", "{order}", "Orders moved by the saga, by the status reached and, for cancellations, the reason (sub_status).");
    }

    /// <summary>Holds the money for a prepaid order; returns the payment's status. Declines throw <see cref="PaymentDeclinedException"/>.</summary>
    public async Task<string> AuthorizePaymentAsync(Guid orderId, CancellationToken cancellationToken)
    {
        if (await _payments.FindAsync(orderId, cancellationToken) is { } existing)
        {
            return WireNames.Of(existing.Status);
        }

        var order = await LoadAsync(orderId, cancellationToken);
        if (order.Payment.PaymentType != PaymentType.Prepaid)
        {
            throw new DomainException(ErrorCodes.IllegalPaymentTransition, $"Order {orderId} is paid in cash after the ride; nothing to authorize.");
        }

        var amount = order.Payment.Config.TryGetValue("amount", out var configured)
            && long.TryParse(configured, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : _options.DefaultAmount;
        var decision = await _gateway.AuthorizeAsync(orderId, order.Payment.Method, amount, _options.Currency, order.Payment.Config, cancellationToken);
        if (!decision.Approved)
        {
            throw new PaymentDeclinedException(orderId, decision.DeclineReason ?? "no reason given");
        }

        var payment = OrderPayment.Authorized(orderId, order.Payment.Method, amount, _options.Currency,
            decision.ProviderReference ?? throw new InvalidOperationException("An approved authorization carries a provider reference."), _clock.GetUtcNow());
        await _payments.SaveAsync(payment, cancellationToken);
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

    /// <summary>The compensation of <see cref="AuthorizePaymentAsync"/>: releases held money (or refunds captured money).</summary>
    public async Task<string?> ReleasePaymentAsync(Guid orderId, CancellationToken cancellationToken)
    {
        if (await _payments.FindAsync(orderId, cancellationToken) is not { } payment)
        {
            return null; // never authorized (declined, or the step did not run): nothing to release
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
