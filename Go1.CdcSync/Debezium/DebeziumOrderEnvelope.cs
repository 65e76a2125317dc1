using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Go1.CdcSync.Debezium;

/// <summary>
/// Reads a Debezium change record for <c>public.orders</c>, flattened by <c>ExtractNewRecordState</c>
/// (see <c>debezium/connector.json</c>): the row's columns plus <c>__op</c> (<c>c</c>, <c>u</c>, <c>d</c>, <c>r</c>),
/// <c>__deleted</c> (<c>"true"</c> on the rewritten delete) and <c>__source_ts_ms</c> (commit time).
/// </summary>
public static class DebeziumOrderEnvelope
{
    public const string OperationField = "__op";
    public const string DeletedField = "__deleted";
    public const string SourceTimestampField = "__source_ts_ms";

    /// <summary>
    /// The change a record carries, or null for a tombstone (the null value Kafka compaction needs after a
    /// delete, which the rewritten delete before it has already said). Malformed records throw <see cref="FormatException"/>.
    /// </summary>
    public static OrderChange? Decode(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty)
        {
            return null;
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(value);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"The record is not JSON: {ex.Message}", ex);
        }

        if (node is null)
        {
            return null;
        }

        if (node is not JsonObject row)
        {
            throw new FormatException("The record is not a JSON object.");
        }

        if (row["payload"] is JsonObject && row["schema"] is not null)
        {
            throw new FormatException("The record has a schema envelope; the connector must use schemas.enable=false.");
        }

        var committedAt = CommittedAt(row);
        var operation = row[OperationField] is JsonValue op && op.GetValueKind() == JsonValueKind.String ? op.GetValue<string>() : null;
        if (operation == "d" || IsDeleted(row))
        {
            return OrderChange.Delete(OrderColumns.Id(row), OrderColumns.Version(row), committedAt);
        }

        return operation is "c" or "u" or "r" or null
            ? OrderColumns.UpsertOf(row, committedAt)
            : throw new FormatException($"Unknown Debezium operation '{operation}'.");
    }

    private static bool IsDeleted(JsonObject row) => row[DeletedField] switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.True => true,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>() == "true",
        _ => false,
    };

    private static DateTimeOffset? CommittedAt(JsonObject row) => row[SourceTimestampField] switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => DateTimeOffset.FromUnixTimeMilliseconds(v.GetValue<long>()),
        JsonValue v when v.GetValueKind() == JsonValueKind.String
            && long.TryParse(v.GetValue<string>(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms),
        _ => null,
    };
}
