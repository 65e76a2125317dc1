namespace Go1.Orders.Domain;

/// <summary>Where an order is in its life. Wire names are SCREAMING_SNAKE_CASE (WAITING_FOR_PAYMENT, ...).</summary>
public enum OrderStatus
{
    WaitingForPayment,
    Scheduling,
    Finding,
    Assigned,
    Completed,
    Cancelled,
}
