using System.Globalization;
using System.Text.Json.Nodes;

namespace Go1.Tests.ChangeCapture;

/// <summary>Orders and the shapes their <c>orders</c> row takes in change streams (Debezium JSON, pgoutput text).</summary>
public static class OrderRows
{
    /// <summary>A valid order at <paramref name="version"/>, with timestamps at PostgreSQL's microsecond precision.</summary>
    public static OrderDocument Order(long version = 1, string paymentMethod = "card") => OrderDocument.From(TestOrders.New(paymentMethod)) with { Version = version };

    /// <summary>The row as Debezium's JsonConverter writes it after <c>ExtractNewRecordState</c>.</summary>
    public static JsonObject Debezium(OrderDocument view, string op, bool jsonbAsObjects = false, bool deleted = false)
    {
        var row = Columns(view, jsonb: value => jsonbAsObjects ? JsonSerializer.SerializeToNode(value, OrderJson.Options) : JsonSerializer.Serialize(value, OrderJson.Options),
            time: t => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
            boolean: b => b, number: n => n);
        row["__op"] = op;
        row["__source_ts_ms"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        row["__deleted"] = deleted ? "true" : "false";
        return row;
    }

    /// <summary>The key Debezium gives an orders record: the row's primary key as JSON.</summary>
    public static string DebeziumKey(Guid orderId) => $"{{\"id\":\"{orderId}\"}}";

    /// <summary>An update (or another <paramref name="op"/>) of <paramref name="view"/>, as Debezium publishes it.</summary>
    public static Message<string, byte[]> DebeziumMessage(OrderDocument view, string op) =>
        new() { Key = DebeziumKey(view.Id), Value = Encoding.UTF8.GetBytes(Debezium(view, op).ToJsonString()) };

    /// <summary>The row as pgoutput's text format sends it (what the Postgres source reads).</summary>
    public static JsonObject PgOutputText(OrderDocument view) =>
        Columns(view, jsonb: value => JsonSerializer.Serialize(value, OrderJson.Options),
            time: t => t.ToOffset(TimeSpan.FromHours(7)).ToString("yyyy-MM-dd HH:mm:ss.ffffffzz", CultureInfo.InvariantCulture),
            boolean: b => b ? "t" : "f", number: n => n.ToString(CultureInfo.InvariantCulture));

    private static JsonObject Columns(OrderDocument v, Func<object, JsonNode?> jsonb, Func<DateTimeOffset, JsonNode> time, Func<bool, JsonNode> boolean, Func<long, JsonNode> number) => new()
    {
        ["id"] = v.Id.ToString(),
        ["created_by"] = v.CreatedBy,
        ["creator_role"] = v.CreatorRole,
        ["status"] = v.Status,
        ["sub_status"] = v.SubStatus,
        ["service"] = jsonb(v.Service),
        ["payment"] = jsonb(v.Payment),
        ["customer"] = v.Customer is null ? null : jsonb(v.Customer),
        ["driver"] = v.Driver is null ? null : jsonb(v.Driver),
        ["points"] = jsonb(v.Points),
        ["promotion_code"] = v.PromotionCode,
        ["fee_id"] = v.FeeId,
        ["has_insurance"] = boolean(v.HasInsurance),
        ["order_time"] = time(v.OrderTime),
        ["completed_time"] = v.CompletedTime is { } c ? time(c) : null,
        ["cancel_time"] = v.CancelTime is { } x ? time(x) : null,
        ["platform"] = v.Platform,
        ["partner_id"] = v.PartnerId,
        ["is_schedule"] = boolean(v.IsSchedule),
        ["now_order"] = boolean(v.NowOrder),
        ["metadata"] = jsonb(v.Metadata),
        ["workflow_id"] = v.WorkflowId,
        ["version"] = number(v.Version),
        ["created_at"] = time(v.CreatedAt),
        ["updated_at"] = time(v.UpdatedAt),
    };

    public static string Json<T>(T value) => JsonSerializer.Serialize(value, OrderJson.Options);
}
