using System.Diagnostics.Metrics;
using Go1.Orders.Application.Ports;

namespace Go1.OrderApi.Outbox;

/// <summary>
/// Relay metrics (Prometheus: <c>go1_outbox_published_total</c>, <c>go1_outbox_publish_failures_total</c>,
/// <c>go1_outbox_backlog</c>, <c>go1_outbox_oldest_age_seconds</c>, <c>go1_outbox_delivery_latency_seconds</c>,
/// <c>go1_outbox_parked_total</c> and <c>go1_outbox_parked_now</c>).
/// </summary>
public sealed class OutboxMetrics
{
    public const string MeterName = "Go1.Outbox";

    private readonly Counter<long> _published;
    private readonly Counter<long> _failures;
    private readonly Counter<long> _parked;
    private readonly Histogram<double> _deliveryLatency;
    private OutboxBacklog _backlog = new(0, TimeSpan.Zero);

    public OutboxMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _published = meter.CreateCounter<long>("go1.outbox.published", "{message}", "Outbox messages acknowledged by Kafka.");
        _failures = meter.CreateCounter<long>("go1.outbox.publish_failures", "{message}", "Publish attempts that failed and will be retried.");
        _deliveryLatency = meter.CreateHistogram<double>("go1.outbox.delivery_latency", "s", "From the order's commit to Kafka's acknowledgement.");
        _parked = meter.CreateCounter<long>("go1.outbox.parked", "{message}", "Messages parked after the broker refused them for their own sake.");
        meter.CreateObservableGauge("go1.outbox.backlog", () => _backlog.Count, "{message}", "Unpublished outbox messages (parked ones aside).");
        meter.CreateObservableGauge("go1.outbox.parked_now", () => _backlog.Parked, "{message}", "Parked messages waiting for outbox_redrive().");
        meter.CreateObservableGauge("go1.outbox.oldest_age", () => _backlog.OldestAge.TotalSeconds, "s", "Age of the oldest unpublished message.");
    }

    public OutboxBacklog Backlog => _backlog;

    public void Published(string topic, TimeSpan latency)
    {
        var tag = new KeyValuePair<string, object?>("topic", topic);
        _published.Add(1, tag);
        _deliveryLatency.Record(latency.TotalSeconds, tag);
    }

    public void Failed(string topic) => _failures.Add(1, new KeyValuePair<string, object?>("topic", topic));

    public void Parked(string topic) => _parked.Add(1, new KeyValuePair<string, object?>("topic", topic));

    public void Observed(OutboxBacklog backlog) => _backlog = backlog;
}
