using System.Diagnostics.Metrics;

namespace Go1.Messaging;

/// <summary>
/// Prometheus: <c>go1_consumer_handled_total</c>, <c>go1_consumer_retried_total</c>, <c>go1_consumer_dead_lettered_total</c>
/// and <c>go1_consumer_held_total</c> (a message held in place while a dependency was down), by topic.
/// </summary>
public sealed class ConsumerMetrics
{
    public const string MeterName = "Go1.Consumers";

    private readonly Counter<long> _handled;
    private readonly Counter<long> _retried;
    private readonly Counter<long> _deadLettered;
    private readonly Counter<long> _held;

    public ConsumerMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _handled = meter.CreateCounter<long>("go1.consumer.handled", "{message}", "Messages handled successfully.");
        _retried = meter.CreateCounter<long>("go1.consumer.retried", "{message}", "Messages sent to their .retry topic after a failure.");
        _deadLettered = meter.CreateCounter<long>("go1.consumer.dead_lettered", "{message}", "Messages parked in their .dlq topic.");
        _held = meter.CreateCounter<long>("go1.consumer.held", "{attempt}", "Attempts that met a dependency outage: the message waited in place to be tried again.");
    }

    public void Handled(string topic) => _handled.Add(1, Tag(topic));

    public void Retried(string topic) => _retried.Add(1, Tag(topic));

    public void DeadLettered(string topic) => _deadLettered.Add(1, Tag(topic));

    public void Held(string topic) => _held.Add(1, Tag(topic));

    private static KeyValuePair<string, object?> Tag(string topic) => new("topic", topic);
}
