using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Go1.Orders.Application;
using Go1.Orders.ReadModel;

namespace Go1.CdcSync;

/// <summary>
/// Reads an <c>orders</c> row as change sources deliver it — column name → JSON value — into the read model.
/// Accepts both dialects: Debezium's JSON (booleans, numbers, ISO-8601 timestamps, JSONB as a string or as
/// an object) and pgoutput's text (<c>t</c>/<c>f</c>, digits, <c>2026-11-27 10:00:00.123456+00</c>, JSONB text).
/// Anything missing or unreadable is a <see cref="FormatException"/> naming the column.
/// </summary>
public static class OrderColumns
{
    private static readonly string[] PostgresTimeFormats = ["yyyy-MM-dd HH:mm:ss.FFFFFFzzz", "yyyy-MM-dd HH:mm:ss.FFFFFFzz"];

    public static Guid Id(JsonObject row) =>
        Guid.TryParse(Text(row, "id"), out var id) ? id : throw Invalid("id", "is not a UUID");

    public static long Version(JsonObject row)
    {
        var node = Required(row, "version");
        return node.GetValueKind() switch
        {
            JsonValueKind.Number => node.GetValue<long>(),
            JsonValueKind.String when long.TryParse(node.GetValue<string>(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) => v,
            _ => throw Invalid("version", "is not an integer"),
        };
    }

    /// <summary>
    /// The change an inserted or updated row makes: an upsert of its document, or, when the row is no valid order but
    /// says which order and version it is, an <see cref="OrderChangeKind.Unreadable"/> change. One such row then costs
    /// the cache that order (reads of it go to PostgreSQL) rather than stopping every later change behind it. A row
    /// without a readable id or version is a <see cref="FormatException"/>.
    /// </summary>
    public static OrderChange UpsertOf(JsonObject row, DateTimeOffset? committedAt)
    {
        ArgumentNullException.ThrowIfNull(row);
        var (id, version) = (Id(row), Version(row));
        try
        {
            return OrderChange.Upsert(ToDocument(row), committedAt);
        }
        catch (FormatException ex)
        {
            return OrderChange.Unreadable(id, version, ex.Message, committedAt);
        }
    }

    /// <summary>
    /// The order the row holds, as the read-model document. It passes through the domain on the way, so a row the
    /// aggregate would not accept is a <see cref="FormatException"/> here rather than a document in the cache.
    /// </summary>
    public static OrderDocument ToDocument(JsonObject row)
    {
        ArgumentNullException.ThrowIfNull(row);
        try
        {
            var view = new OrderDocument(
                Id(row), Text(row, "created_by"), Text(row, "creator_role"), Text(row, "status"), OptionalText(row, "sub_status"),
                Json<OrderDocument.ServiceInfo>(row, "service"), Json<OrderDocument.PaymentInfo>(row, "payment"),
                OptionalJson<OrderDocument.PartyInfo>(row, "customer"), OptionalJson<OrderDocument.PartyInfo>(row, "driver"),
                Json<List<OrderDocument.PointInfo>>(row, "points"), OptionalText(row, "promotion_code"), OptionalText(row, "fee_id"),
                Bool(row, "has_insurance"), Time(row, "order_time"), OptionalTime(row, "completed_time"), OptionalTime(row, "cancel_time"),
                OptionalText(row, "platform"), OptionalText(row, "partner_id"), Bool(row, "is_schedule"), Bool(row, "now_order"),
                Json<JsonObject>(row, "metadata"), OptionalText(row, "workflow_id") ?? string.Empty, Version(row),
                Time(row, "created_at"), Time(row, "updated_at"));
            return OrderDocument.From(view.ToDomain());
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            throw new FormatException($"The orders row is not a valid order: {ex.Message}", ex);
        }
    }

    private static JsonNode Required(JsonObject row, string column) =>
        row[column] ?? throw Invalid(column, "is missing or null");

    private static string Text(JsonObject row, string column) =>
        OptionalText(row, column) ?? throw Invalid(column, "is missing or null");

    private static string? OptionalText(JsonObject row, string column) => row[column] switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => throw Invalid(column, "is not text"),
    };

    private static bool Bool(JsonObject row, string column)
    {
        var node = Required(row, column);
        return node.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.String => node.GetValue<string>() switch
            {
                "t" or "true" => true,
                "f" or "false" => false,
                _ => throw Invalid(column, "is not a boolean"),
            },
            _ => throw Invalid(column, "is not a boolean"),
        };
    }

    private static DateTimeOffset Time(JsonObject row, string column) =>
        OptionalTime(row, column) ?? throw Invalid(column, "is missing or null");

    private static DateTimeOffset? OptionalTime(JsonObject row, string column)
    {
        if (OptionalText(row, column) is not { } text)
        {
            return null;
        }

        if (DateTimeOffset.TryParseExact(text, PostgresTimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var postgres))
        {
            return postgres.ToUniversalTime();
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var iso)
            ? iso.ToUniversalTime()
            : throw Invalid(column, "is not a timestamp");
    }

    // JSONB arrives as its text (pgoutput, Debezium's io.debezium.data.Json) or, after some converters, as JSON itself.
    private static T Json<T>(JsonObject row, string column) where T : class =>
        OptionalJson<T>(row, column) ?? throw Invalid(column, "is missing or null");

    private static T? OptionalJson<T>(JsonObject row, string column) where T : class
    {
        var node = row[column];
        if (node is null)
        {
            return null;
        }

        try
        {
            return (node.GetValueKind() == JsonValueKind.String
                ? JsonSerializer.Deserialize<T>(node.GetValue<string>(), OrderJson.Options)
                : node.Deserialize<T>(OrderJson.Options)) ?? throw Invalid(column, "is JSON null");
        }
        catch (JsonException ex)
        {
            throw Invalid(column, $"is not a valid {typeof(T).Name}: {ex.Message}");
        }
    }

    private static FormatException Invalid(string column, string problem) => new($"Column '{column}' {problem}.");
}
