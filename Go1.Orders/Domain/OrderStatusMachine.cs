namespace Go1.Orders.Domain;

/// <summary>
/// The legal status transitions: WAITING_FOR_PAYMENT → FINDING or SCHEDULING; SCHEDULING → FINDING;
/// FINDING → ASSIGNED; ASSIGNED → COMPLETED; and CANCELLED from any non-final status.
/// </summary>
public static class OrderStatusMachine
{
    private static readonly Dictionary<OrderStatus, OrderStatus[]> Next = new()
    {
        [OrderStatus.WaitingForPayment] = [OrderStatus.Finding, OrderStatus.Scheduling, OrderStatus.Cancelled],
        [OrderStatus.Scheduling] = [OrderStatus.Finding, OrderStatus.Cancelled],
        [OrderStatus.Finding] = [OrderStatus.Assigned, OrderStatus.Cancelled],
        [OrderStatus.Assigned] = [OrderStatus.Completed, OrderStatus.Cancelled],
        [OrderStatus.Completed] = [],
        [OrderStatus.Cancelled] = [],
    };

    public static bool IsFinal(OrderStatus status) => Next[status].Length == 0;

    public static bool CanMove(OrderStatus from, OrderStatus to) => Next[from].Contains(to);

    public static void EnsureCanMove(OrderStatus from, OrderStatus to)
    {
        if (!CanMove(from, to))
        {
            throw new DomainException(ErrorCodes.IllegalTransition, $"An order cannot move from {from} to {to}.");
        }
    }
}
