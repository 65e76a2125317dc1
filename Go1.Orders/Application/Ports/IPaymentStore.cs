using Go1.Orders.Domain;

namespace Go1.Orders.Application.Ports;

/// <summary>The <c>payments</c> table: at most one payment per order.</summary>
public interface IPaymentStore
{
    Task<OrderPayment?> FindAsync(Guid orderId, CancellationToken cancellationToken);

    /// <summary>Inserts or updates the order's payment.</summary>
    Task SaveAsync(OrderPayment payment, CancellationToken cancellationToken);
}
