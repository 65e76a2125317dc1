namespace Go1.OrderWorker.Saga;

/// <summary>The provider refused to hold the money: the order cannot proceed, and retrying will not change that.</summary>
public sealed class PaymentDeclinedException(Guid orderId, string reason)
    : DomainException(ErrorCodes.PaymentDeclined, $"Payment for order {orderId} was declined: {reason}");
