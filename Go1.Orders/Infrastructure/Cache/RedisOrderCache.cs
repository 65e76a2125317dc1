using System.Globalization;
using System.Text.Json;
using Go1.Orders.Application;
using Go1.Orders.Application.Ports;
using Go1.Orders.ReadModel;
using StackExchange.Redis;

namespace Go1.Orders.Infrastructure.Cache;

/// <summary>
/// <c>order:{id}</c> holds the order's read-model JSON (with its <c>version</c>) or a tombstone
/// <c>{"deleted":true,"version":n}</c>. One Lua compare-and-set guards every write, so whichever writer
/// is late — the CDC projector or a cache fill after a miss — an older version never wins. Every write it
/// applies publishes the order id on <see cref="ChangesChannel"/>, which keeps the optional <see cref="NearCache"/>
/// of every OrderApi in step.
/// </summary>
public sealed class RedisOrderCache(IConnectionMultiplexer redis, OrderCacheOptions options, NearCache? near = null) : IOrderCache
{
    /// <summary>Where applied writes announce the id of the order they changed.</summary>
    public static readonly RedisChannel ChangesChannel = RedisChannel.Literal("order-changes");

    private const string TombstonePrefix = "{\"deleted\":true";

    // A document missing a member or holding null where the read model has none is no document: read as absent, not
    // served with nulls (an owner was answered 403 for an entry that read as an order of nobody's).
    private static readonly JsonSerializerOptions StoredDocument = new(OrderJson.Options)
    {
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    };

    // Writes @value unless the cached version is newer; at an equal version only a deletion wins
    // (it happened after the row's last change), so replays and late fills are no-ops. An entry that is neither
    // this order's document nor a tombstone has no version to respect: it is overwritten.
    private static readonly LuaScript SetIfNewer = LuaScript.Prepare("""
        local current = redis.call('GET', @key)
        if current then
          local ok, doc = pcall(cjson.decode, current)
          local cached = ok and type(doc) == 'table' and (doc.id == @id or doc.deleted == true) and tonumber(doc.version)
          if cached then
            local incoming = tonumber(@version)
            if cached > incoming or (cached == incoming and @winsTies == '0') then
              return 0
            end
          end
        end
        redis.call('SET', @key, @value, 'PX', @ttl)
        redis.call('PUBLISH', @channel, @id)
        return 1
        """);

    public static string Key(Guid orderId) => $"order:{orderId}";

    public async Task<OrderDocument?> GetAsync(Guid orderId, CancellationToken cancellationToken)
    {
        if (near is null)
        {
            return Parse(await ReadAsync(orderId));
        }

        if (near.TryGet(orderId, out var held))
        {
            return held;
        }

        var token = near.BeginRead(orderId);
        var json = await ReadAsync(orderId);
        var order = Parse(json);
        if (json is not null)
        {
            near.Store(token, orderId, order, json.Length); // tombstones too: they answer "not cached" without a round trip
        }

        return order;
    }

    /// <summary>
    /// The document in <paramref name="json"/>; null for no key, a tombstone, a format newer than this code, or JSON that
    /// is no document at all (the read then goes to PostgreSQL, and its fill replaces the entry).
    /// </summary>
    private static OrderDocument? Parse(string? json)
    {
        if (json is null || json.StartsWith(TombstonePrefix, StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<OrderDocument>(json, StoredDocument) is { DocumentVersion: <= OrderDocument.CurrentVersion } document
                ? document
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public Task<bool> SetIfNewerAsync(OrderDocument order, CancellationToken cancellationToken) =>
        WriteAsync(redis.GetDatabase(), OrderCacheWrite.Upsert(order));

    public Task<bool> DeleteAsync(Guid orderId, long version, CancellationToken cancellationToken) =>
        WriteAsync(redis.GetDatabase(), OrderCacheWrite.Delete(orderId, version));

    public async Task<bool[]> WriteAllAsync(IReadOnlyList<OrderCacheWrite> writes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writes);
        // A batch goes out as one contiguous write on the connection: one round trip for all of them.
        var batch = redis.GetDatabase().CreateBatch();
        var stored = new Task<bool>[writes.Count];
        for (var i = 0; i < stored.Length; i++)
        {
            stored[i] = WriteAsync(batch, writes[i]);
        }

        batch.Execute();
        return await Task.WhenAll(stored);
    }

    private async Task<string?> ReadAsync(Guid orderId)
    {
        var value = await redis.GetDatabase().StringGetAsync(Key(orderId));
        return value.IsNullOrEmpty ? null : value.ToString();
    }

    private async Task<bool> WriteAsync(IDatabaseAsync database, OrderCacheWrite write)
    {
        var (value, ttl) = write.Order is { } order
            ? (JsonSerializer.Serialize(order, OrderJson.Options), options.TimeToLive)
            : ($"{TombstonePrefix},\"version\":{write.Version.ToString(CultureInfo.InvariantCulture)}}}", options.TombstoneTimeToLive);
        var stored = await database.ScriptEvaluateAsync(SetIfNewer, new
        {
            key = (RedisKey)Key(write.OrderId),
            value,
            version = write.Version,
            ttl = (long)ttl.TotalMilliseconds,
            winsTies = write.Order is null ? "1" : "0", // at an equal version a deletion happened after the row's last change
            channel = ChangesChannel.ToString(),
            id = write.OrderId.ToString(),
        });
        return (long)stored == 1;
    }
}
