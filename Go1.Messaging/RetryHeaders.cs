using System.Globalization;
using System.Text;
using Confluent.Kafka;

namespace Go1.Messaging;

/// <summary>Headers that carry a message's retry history through <c>.retry</c> and into <c>.dlq</c>.</summary>
public static class RetryHeaders
{
    public const string Attempt = "x-attempt";
    public const string OriginalTopic = "x-original-topic";
    public const string OriginalPartition = "x-original-partition";
    public const string OriginalOffset = "x-original-offset";
    public const string Error = "x-error";
    public const string NotBefore = "x-not-before";
    public const string RetryUntil = "x-retry-until";

    private static readonly string[] Ours = [Attempt, OriginalTopic, OriginalPartition, OriginalOffset, Error, NotBefore, RetryUntil];

    public static int AttemptsMade(Headers? headers) =>
        int.TryParse(Read(headers, Attempt), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 0;

    public static DateTimeOffset? NotBeforeOf(Headers? headers) => TimeOf(headers, NotBefore);

    /// <summary>Until when a message that cannot be handled yet keeps being retried (set on its first failure).</summary>
    public static DateTimeOffset? RetryUntilOf(Headers? headers) => TimeOf(headers, RetryUntil);

    public static string? Read(Headers? headers, string key) =>
        headers is not null && headers.TryGetLastBytes(key, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;

    /// <summary>The message's own headers (trace context, event id, ...) with a fresh retry history.</summary>
    public static Headers Forwarded(ConsumeResult<string, byte[]> source, string originalTopic, int attemptsMade, string error, DateTimeOffset? notBefore,
        DateTimeOffset? retryUntil = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        var headers = new Headers();
        foreach (var header in source.Message.Headers ?? [])
        {
            if (!Ours.Contains(header.Key))
            {
                headers.Add(header.Key, header.GetValueBytes());
            }
        }

        Add(headers, Attempt, attemptsMade.ToString(CultureInfo.InvariantCulture));
        Add(headers, OriginalTopic, originalTopic);
        Add(headers, OriginalPartition, Read(source.Message.Headers, OriginalPartition) ?? source.Partition.Value.ToString(CultureInfo.InvariantCulture));
        Add(headers, OriginalOffset, Read(source.Message.Headers, OriginalOffset) ?? source.Offset.Value.ToString(CultureInfo.InvariantCulture));
        Add(headers, Error, error.Length > 500 ? error[..500] : error);
        if (notBefore is { } at)
        {
            Add(headers, NotBefore, at.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        }

        if (retryUntil is { } until)
        {
            Add(headers, RetryUntil, until.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        }

        return headers;
    }

    private static DateTimeOffset? TimeOf(Headers? headers, string key) =>
        long.TryParse(Read(headers, key), NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    private static void Add(Headers headers, string key, string value) => headers.Add(key, Encoding.UTF8.GetBytes(value));
}
