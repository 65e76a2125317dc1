using System.Text.Json;
using Confluent.Kafka;

namespace Go1.OrderWorker.Messaging;

public static class MessageJson
{
    /// <summary>The message value as <typeparamref name="T"/>; anything unparseable is poison.</summary>
    public static T Read<T>(ConsumeResult<string, byte[]> message) where T : class
    {
        ArgumentNullException.ThrowIfNull(message);
        try
        {
            return (message.Message.Value is { Length: > 0 } value ? JsonSerializer.Deserialize<T>(value, OrderJson.Options) : null)
                ?? throw new PoisonMessageException($"{message.Topic} message has no {typeof(T).Name} body.");
        }
        catch (JsonException ex)
        {
            throw new PoisonMessageException($"{message.Topic} message is not a valid {typeof(T).Name}: {ex.Message}", ex);
        }
    }
}
