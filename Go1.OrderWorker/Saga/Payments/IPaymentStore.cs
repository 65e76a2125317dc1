namespace Go1.OrderWorker.Saga.Payments;

/// <summary>The <c>payments</c> table: at most one payment per order.</summary>
public interface IPaymentStore
{
    Task<OrderPayment?> FindAsync(Guid orderId, CancellationToken cancellationToken);

    /// <summary>
    /// Inserts a new payment, or stores a status change over the status the payment was read with. Throws
    /// <see cref="DomainException"/> (<see cref="ErrorCodes.IllegalPaymentTransition"/>) when another writer changed it first.
    /// </summary>
    Task SaveAsync(OrderPayment payment, CancellationToken cancellationToken);
}
