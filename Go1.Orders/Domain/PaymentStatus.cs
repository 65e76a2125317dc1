namespace Go1.Orders.Domain;

/// <summary>AUTHORIZED → CAPTURED (ride completed) or VOIDED (ride never happened); CAPTURED → REFUNDED.</summary>
public enum PaymentStatus
{
    Authorized,
    Captured,
    Voided,
    Refunded,
}
