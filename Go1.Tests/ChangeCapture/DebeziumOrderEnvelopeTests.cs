using System.Text.Json.Nodes;
using Go1.CdcSync;
using Go1.CdcSync.Debezium;

namespace Go1.Tests.ChangeCapture;

/// <summary>Reading Debezium's flattened records and pgoutput's text rows into order changes.</summary>
public sealed class DebeziumOrderEnvelopeTests
{
    private static OrderChange? Decode(JsonNode? record) => DebeziumOrderEnvelope.Decode(Encoding.UTF8.GetBytes(record?.ToJsonString() ?? "null"));

    [Theory]
    [InlineData("r", false)]
    [InlineData("c", true)]
    [InlineData("u", false)]
    [InlineData("u", true)]
    public void Snapshot_create_and_update_records_become_upserts_of_the_same_order(string op, bool jsonbAsObjects)
    {
        var order = OrderRows.Order(version: 3);

        var change = Decode(OrderRows.Debezium(order, op, jsonbAsObjects))!;

        Assert.Equal((OrderChangeKind.Upsert, order.Id, 3L), (change.Kind, change.OrderId, change.Version));
        Assert.Equal(OrderRows.Json(order), OrderRows.Json(change.Order!));
        Assert.NotNull(change.CommittedAt);
    }

    [Theory]
    [InlineData("d", "true")]
    [InlineData("d", "false")] // __op alone says it
    [InlineData("u", "true")]  // __deleted alone says it (rewrite mode without op)
    public void Rewritten_deletes_become_deletes_of_the_old_rows_version(string op, string deleted)
    {
        var order = OrderRows.Order(version: 5);
        var record = OrderRows.Debezium(order, op);
        record["__deleted"] = deleted;

        var change = Decode(record)!;

        Assert.Equal((OrderChangeKind.Delete, order.Id, 5L, (OrderDocument?)null), (change.Kind, change.OrderId, change.Version, change.Order));
    }

    [Fact]
    public void A_tombstone_is_no_change()
    {
        Assert.Null(DebeziumOrderEnvelope.Decode([]));
        Assert.Null(Decode(null));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("{\"__op\":\"c\",\"id\":\"not-a-uuid\"}")]
    [InlineData("{\"schema\":{},\"payload\":{\"id\":\"0199a5a0-0000-7000-8000-000000000001\"}}")]
    public void Malformed_records_are_format_errors(string record) =>
        Assert.Throws<FormatException>(() => DebeziumOrderEnvelope.Decode(Encoding.UTF8.GetBytes(record)));

    [Theory]
    [InlineData("id", "not-a-uuid")]
    [InlineData("version", "seven")]
    public void A_record_without_a_readable_id_or_version_is_a_format_error_naming_it(string column, string value)
    {
        var record = OrderRows.Debezium(OrderRows.Order(), "c");
        record[column] = value;

        var error = Assert.Throws<FormatException>(() => Decode(record));

        Assert.Contains(column, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("status", "NOT-A-STATUS")]
    [InlineData("order_time", "yesterday")]
    [InlineData("points", "{not json")]
    [InlineData("has_insurance", "maybe")]
    public void A_record_of_an_order_this_code_cannot_read_is_an_unreadable_change_of_its_order_and_version_naming_the_column(string column, string value)
    {
        var order = OrderRows.Order(version: 3);
        var record = OrderRows.Debezium(order, "u");
        record[column] = value;

        var change = Decode(record)!;

        Assert.Equal((OrderChangeKind.Unreadable, order.Id, 3L, (OrderDocument?)null), (change.Kind, change.OrderId, change.Version, change.Order));
        Assert.Contains(column == "status" ? "NOT-A-STATUS" : column, change.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_operation_is_a_format_error()
    {
        Assert.Throws<FormatException>(() => Decode(OrderRows.Debezium(OrderRows.Order(), "t")));
    }

    [Fact]
    public void Pgoutput_text_rows_read_into_the_same_order()
    {
        var order = OrderRows.Order(version: 9, paymentMethod: "cash");

        var view = OrderColumns.ToDocument(OrderRows.PgOutputText(order));

        Assert.Equal(OrderRows.Json(order), OrderRows.Json(view));
    }
}
