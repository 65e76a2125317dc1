using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using OpenTelemetry;
using OpenTelemetry.Context.Propagation;

namespace Go1.Kafka;

/// <summary>
/// Produce and consume spans plus W3C trace context (<c>traceparent</c>, <c>tracestate</c>, baggage)
/// carried in Kafka message headers, so one trace spans HTTP → outbox → Kafka → handler.
/// </summary>
public static class KafkaTracing
{
    public const string ActivitySourceName = "Go1.Kafka";
    public static readonly ActivitySource Source = new(ActivitySourceName);

    private static TextMapPropagator Propagator => Propagators.DefaultTextMapPropagator;

    /// <summary>Writes the given context (or the current activity's) into <paramref name="headers"/>, replacing old values.</summary>
    public static void InjectTraceContext(Headers headers, ActivityContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var activityContext = context ?? Activity.Current?.Context ?? default;
        if (activityContext == default)
        {
            return;
        }

        Propagator.Inject(new PropagationContext(activityContext, Baggage.Current), headers, static (h, key, value) =>
        {
            h.Remove(key);
            h.Add(key, Encoding.UTF8.GetBytes(value));
        });
    }

    /// <summary>Reads the trace context a producer wrote; default when the message carries none.</summary>
    public static PropagationContext ExtractTraceContext(Headers? headers) =>
        headers is null
            ? default
            : Propagator.Extract(default, headers, static (h, key) =>
                h.TryGetLastBytes(key, out var bytes) ? [Encoding.UTF8.GetString(bytes)] : []);

    /// <summary>Starts a producer span for <paramref name="topic"/>; null when nobody listens.</summary>
    public static Activity? StartProduce(string topic, string? key, ActivityContext parent = default)
    {
        var activity = Source.StartActivity($"{topic} publish", ActivityKind.Producer, parent);
        activity?.SetTag("messaging.system", "kafka");
        activity?.SetTag("messaging.operation.type", "publish");
        activity?.SetTag("messaging.destination.name", topic);
        if (key is not null)
        {
            activity?.SetTag("messaging.kafka.message.key", key);
        }

        return activity;
    }

    /// <summary>Starts a consumer span whose parent is the producer's context from the headers.</summary>
    public static Activity? StartProcess<TKey, TValue>(ConsumeResult<TKey, TValue> result, string? consumerGroup = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        var parent = ExtractTraceContext(result.Message.Headers);
        Baggage.Current = parent.Baggage;
        var activity = Source.StartActivity($"{result.Topic} process", ActivityKind.Consumer, parent.ActivityContext);
        activity?.SetTag("messaging.system", "kafka");
        activity?.SetTag("messaging.operation.type", "process");
        activity?.SetTag("messaging.destination.name", result.Topic);
        activity?.SetTag("messaging.destination.partition.id", result.Partition.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        activity?.SetTag("messaging.kafka.offset", result.Offset.Value);
        if (consumerGroup is not null)
        {
            activity?.SetTag("messaging.consumer.group.name", consumerGroup);
        }

        return activity;
    }
}
