namespace Go1.Orders.Application.Ports;

/// <summary>The ride products operators configure (stored in the database, seeded by a migration).</summary>
public interface IServiceCatalog
{
    Task<CatalogEntry?> FindAsync(string serviceId, CancellationToken cancellationToken);

    /// <summary>The service the Go system's clients call <paramref name="goId"/>.</summary>
    Task<CatalogEntry?> FindByGoIdAsync(int goId, CancellationToken cancellationToken);
}

/// <summary>A service as the catalogue holds it: what an order snapshots, whether it takes orders, and its price list.</summary>
public sealed record CatalogEntry(ServiceSnapshot Service, bool Enabled, Tariff Tariff);
