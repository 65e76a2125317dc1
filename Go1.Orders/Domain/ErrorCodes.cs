namespace Go1.Orders.Domain;

/// <summary>Stable, machine-readable error codes. Clients switch on these; never rename one.</summary>
public static class ErrorCodes
{
    public const string ValidationFailed = "VALIDATION_FAILED";
    public const string OrderNotFound = "ORDER_NOT_FOUND";
    public const string ServiceNotFound = "SERVICE_NOT_FOUND";
    public const string ServiceDisabled = "SERVICE_DISABLED";
    public const string IllegalTransition = "ILLEGAL_STATUS_TRANSITION";
    public const string IdempotencyKeyReused = "IDEMPOTENCY_KEY_REUSED";
    public const string OrderAccessDenied = "ORDER_ACCESS_DENIED";
    public const string PaymentDeclined = "PAYMENT_DECLINED";
    public const string IllegalPaymentTransition = "ILLEGAL_PAYMENT_TRANSITION";
}
