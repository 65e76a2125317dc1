namespace Go1.Orders.Application.Ports;

/// <summary>Prices a ride on the server. The amount a customer pays is never taken from the client.</summary>
public interface IFarePricing
{
    Task<Fare> QuoteAsync(string serviceId, IReadOnlyList<RoutePoint> route, CancellationToken cancellationToken);
}
