using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Go1.Kafka;

/// <summary>Forwards librdkafka's own log lines and errors to <see cref="ILogger"/>.</summary>
internal static partial class KafkaLogBridge
{
    public static LogLevel ToLogLevel(SyslogLevel level) => level switch
    {
        SyslogLevel.Emergency or SyslogLevel.Alert or SyslogLevel.Critical => LogLevel.Critical,
        SyslogLevel.Error => LogLevel.Error,
        SyslogLevel.Warning => LogLevel.Warning,
        SyslogLevel.Notice or SyslogLevel.Info => LogLevel.Information,
        _ => LogLevel.Debug,
    };

    public static void Forward(ILogger logger, LogMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var level = ToLogLevel(message.Level);
        LibrdkafkaLog(logger, level, message.Name, message.Facility, message.Message);
    }

    public static void Forward(ILogger logger, Error error)
    {
        // Fatal errors make the client unusable; the rest are transient and librdkafka retries them.
        if (error.IsFatal)
        {
            LibrdkafkaError(logger, LogLevel.Critical, error.Code, error.Reason);
        }
        else
        {
            LibrdkafkaError(logger, LogLevel.Warning, error.Code, error.Reason);
        }
    }

    [LoggerMessage(Message = "librdkafka {ClientName} [{Facility}] {KafkaMessage}")]
    private static partial void LibrdkafkaLog(ILogger logger, LogLevel level, string clientName, string facility, string kafkaMessage);

    [LoggerMessage(Message = "Kafka client error {ErrorCode}: {Reason}")]
    private static partial void LibrdkafkaError(ILogger logger, LogLevel level, ErrorCode errorCode, string reason);
}
