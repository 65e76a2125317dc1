using Go1.Orders.Application.Ports;
using Go1.Orders.ReadModel;

namespace Go1.Orders.Application.GetOrder;

/// <summary>Reads one order for a caller who is allowed to see it.</summary>
public sealed class GetOrderHandler(IOrderReads orders)
{
    public async Task<OrderDocument> HandleAsync(Caller caller, Guid orderId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var order = await orders.GetAsync(orderId, cancellationToken)
            ?? throw new DomainException(ErrorCodes.OrderNotFound, $"Order {orderId} does not exist.");
        return order.IsVisibleTo(caller)
            ? order
            : throw new DomainException(ErrorCodes.OrderAccessDenied, $"Order {orderId} belongs to someone else.");
    }
}
