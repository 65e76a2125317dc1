using Go1.Orders.Application.Ports;

namespace Go1.Orders.Infrastructure.Pricing;

/// <summary>
/// A stand-in pricing service with a documented rule: the service's base fare plus its per-kilometre rate over
/// the route's great-circle length (<see cref="Tariff.Price"/>), both from the catalogue.
/// </summary>
public sealed class TariffFarePricing(IServiceCatalog catalog) : IFarePricing
{
    public async Task<Fare> QuoteAsync(string serviceId, IReadOnlyList<RoutePoint> route, CancellationToken cancellationToken)
    {
        var entry = await catalog.FindAsync(serviceId, cancellationToken)
            ?? throw new DomainException(ErrorCodes.ServiceNotFound, $"Service '{serviceId}' does not exist; the ride cannot be priced.");
        return entry.Tariff.Price(route);
    }
}
