using Go1.Orders.ReadModel;

namespace Go1.Orders.Application.Ports;

/// <summary>Orders as the read side serves them: the read-model document, never the aggregate rebuilt.</summary>
public interface IOrderReads
{
    Task<OrderDocument?> GetAsync(Guid id, CancellationToken cancellationToken);
}
