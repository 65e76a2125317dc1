using Go1.Orders.Infrastructure.Cache;

namespace Go1.Tests.ChangeCapture;

/// <summary>Waits for what CdcSync should have written to <c>order:{id}</c>.</summary>
public static class RedisOrders
{
    public sealed record Entry(long Version, bool Deleted, string Json);

    public static async Task<Entry?> ReadAsync(IDatabase redis, Guid orderId)
    {
        var value = await redis.StringGetAsync(RedisOrderCache.Key(orderId));
        if (value.IsNullOrEmpty)
        {
            return null;
        }

        using var doc = JsonDocument.Parse(value.ToString());
        var deleted = doc.RootElement.TryGetProperty("deleted", out var d) && d.GetBoolean();
        return new(doc.RootElement.GetProperty("version").GetInt64(), deleted, value.ToString());
    }

    /// <summary>Polls until the entry satisfies <paramref name="done"/>; returns it and how long that took, or fails after <paramref name="timeout"/>.</summary>
    public static async Task<(Entry Entry, TimeSpan Took)> WaitAsync(IDatabase redis, Guid orderId, Func<Entry, bool> done, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        Entry? last = null;
        while (clock.Elapsed < timeout)
        {
            last = await ReadAsync(redis, orderId);
            if (last is not null && done(last))
            {
                return (last, clock.Elapsed);
            }

            await Task.Delay(5);
        }

        throw new TimeoutException($"order:{orderId} did not reach the expected state within {timeout.TotalSeconds} s; last seen: {last?.Json ?? "nothing"}.");
    }

    public static Task<(Entry Entry, TimeSpan Took)> WaitForVersionAsync(IDatabase redis, Guid orderId, long version, TimeSpan timeout) =>
        WaitAsync(redis, orderId, e => !e.Deleted && e.Version >= version, timeout);

    public static OrderDocument View(Entry entry) => JsonSerializer.Deserialize<OrderDocument>(entry.Json, OrderJson.Options)!;
}
