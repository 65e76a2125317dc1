using Dapper;
using Go1.Orders.Application.Ports;
using Npgsql;

namespace Go1.Orders.Infrastructure.Persistence;

/// <summary>The <c>services</c> table. A row whose type is not a known service type is treated as disabled.</summary>
public sealed class PostgresServiceCatalog(NpgsqlDataSource dataSource) : IServiceCatalog
{
    private const string Select = """
        SELECT id AS Id, type AS Type, name AS Name, pricing_mode AS PricingMode,
               auto_cancel_interval_seconds AS AutoCancelIntervalSeconds, driver_lock_time_seconds AS DriverLockTimeSeconds,
               addons::text AS Addons, enabled AS Enabled, base_fare AS BaseFare, per_km_fare AS PerKmFare, currency AS Currency
        FROM services
        """;

    public Task<CatalogEntry?> FindAsync(string serviceId, CancellationToken cancellationToken) =>
        FindAsync($"{Select} WHERE id = @serviceId", new { serviceId }, cancellationToken);

    public Task<CatalogEntry?> FindByGoIdAsync(int goId, CancellationToken cancellationToken) =>
        FindAsync($"{Select} WHERE go_id = @goId", new { goId }, cancellationToken);

    private Task<CatalogEntry?> FindAsync(string sql, object parameters, CancellationToken cancellationToken) =>
        PostgresAvailability.GuardAsync<CatalogEntry?>(async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var row = await connection.QuerySingleOrDefaultAsync<ServiceRow>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
            if (row is null)
            {
                return null;
            }

            var known = WireNames.TryParse<ServiceType>(row.Type, out var type);
            var addons = System.Text.Json.JsonSerializer.Deserialize<string[]>(row.Addons) ?? [];
            var service = new ServiceSnapshot(row.Id, type, row.Name, row.PricingMode,
                TimeSpan.FromSeconds(row.AutoCancelIntervalSeconds), TimeSpan.FromSeconds(row.DriverLockTimeSeconds), addons);
            return new CatalogEntry(service, row.Enabled && known, new Tariff(row.BaseFare, row.PerKmFare, row.Currency));
        });

    private sealed record ServiceRow(string Id, string Type, string Name, string PricingMode, int AutoCancelIntervalSeconds, int DriverLockTimeSeconds, string Addons, bool Enabled,
        long BaseFare, long PerKmFare, string Currency);
}
