using System.Diagnostics.Metrics;

namespace Go1.OrderApi.Apis;

/// <summary>Business metrics of the order API (Prometheus: <c>go1_orders_created_total{status}</c>, ...).</summary>
public sealed class OrderMetrics
{
    public const string MeterName = "Go1.Orders.Api";

    private readonly Counter<long> _created;
    private readonly Counter<long> _replayed;

    public OrderMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _created = meter.CreateCounter<long>("go1.orders.created", unit: "{order}", description: "Orders created, by initial status.");
        _replayed = meter.CreateCounter<long>("go1.orders.idempotent_replays", unit: "{request}", description: "POST /orders answered from an earlier request with the same Idempotency-Key.");
    }

    public void Created(OrderStatus status) => _created.Add(1, new KeyValuePair<string, object?>("status", WireNames.Of(status)));

    public void Replayed() => _replayed.Add(1);
}
