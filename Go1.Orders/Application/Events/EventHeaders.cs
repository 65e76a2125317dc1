namespace Go1.Orders.Application.Events;

/// <summary>Kafka headers every Go1 event carries besides the W3C trace context; producer and consumers name them from here.</summary>
public static class EventHeaders
{
    public const string EventType = "event-type";
    public const string EventId = "event-id";
}
