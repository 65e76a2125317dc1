using System.Text.Json;
using System.Text.Json.Nodes;
using Go1.Orders.Application;
using Go1.Orders.ReadModel;

namespace Go1.Orders.Infrastructure.Persistence;

/// <summary>One row of <c>orders</c> as Dapper reads and writes it; nested value objects travel as JSONB text.</summary>
internal sealed class OrderRow
{
    /// <summary>Column list with aliases onto this class's properties, for SELECTs.</summary>
    public const string SelectColumns = """
        id AS Id, created_by AS CreatedBy, creator_role AS CreatorRole, status AS Status, sub_status AS SubStatus,
        service::text AS Service, payment::text AS Payment, customer::text AS Customer, driver::text AS Driver,
        points::text AS Points, promotion_code AS PromotionCode, fee_id AS FeeId, has_insurance AS HasInsurance,
        order_time AS OrderTime, completed_time AS CompletedTime, cancel_time AS CancelTime, platform AS Platform,
        partner_id AS PartnerId, is_schedule AS IsSchedule, metadata::text AS Metadata, version AS Version,
        created_at AS CreatedAt, updated_at AS UpdatedAt
        """;

    public Guid Id { get; init; }
    public string CreatedBy { get; init; } = string.Empty;
    public string CreatorRole { get; init; } = string.Empty;
    public string Status { get; init; } = string.Empty;
    public string? SubStatus { get; init; }
    public string Service { get; init; } = "{}";
    public string Payment { get; init; } = "{}";
    public string? Customer { get; init; }
    public string? Driver { get; init; }
    public string Points { get; init; } = "[]";
    public string? PromotionCode { get; init; }
    public string? FeeId { get; init; }
    public bool HasInsurance { get; init; }
    public DateTime OrderTime { get; init; }
    public DateTime? CompletedTime { get; init; }
    public DateTime? CancelTime { get; init; }
    public string? Platform { get; init; }
    public string? PartnerId { get; init; }
    public bool IsSchedule { get; init; }
    public bool NowOrder { get; init; }
    public string Metadata { get; init; } = "{}";
    public string WorkflowId { get; init; } = string.Empty;
    public long Version { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }

    /// <summary>The row of an order: its read model, with the nested parts as JSONB text.</summary>
    public static OrderRow From(RideOrder order)
    {
        var view = OrderDocument.From(order);
        return new()
        {
            Id = view.Id,
            CreatedBy = view.CreatedBy,
            CreatorRole = view.CreatorRole,
            Status = view.Status,
            SubStatus = view.SubStatus,
            Service = Json(view.Service),
            Payment = Json(view.Payment),
            Customer = view.Customer is null ? null : Json(view.Customer),
            Driver = view.Driver is null ? null : Json(view.Driver),
            Points = Json(view.Points),
            PromotionCode = view.PromotionCode,
            FeeId = view.FeeId,
            HasInsurance = view.HasInsurance,
            OrderTime = view.OrderTime.UtcDateTime,
            CompletedTime = view.CompletedTime?.UtcDateTime,
            CancelTime = view.CancelTime?.UtcDateTime,
            Platform = view.Platform,
            PartnerId = view.PartnerId,
            IsSchedule = view.IsSchedule,
            NowOrder = view.NowOrder,
            Metadata = view.Metadata.ToJsonString(),
            WorkflowId = view.WorkflowId,
            Version = view.Version,
            CreatedAt = view.CreatedAt.UtcDateTime,
            UpdatedAt = view.UpdatedAt.UtcDateTime,
        };
    }

    /// <summary>The stored order, rebuilt through its read model (one mapping from parts to aggregate).</summary>
    public RideOrder ToDomain() => ToDocument().ToDomain();

    /// <summary>The stored order as the read model has it: the JSONB columns hold the document's parts as they are.</summary>
    public OrderDocument ToDocument() => new(
        Id, CreatedBy, CreatorRole, Status, SubStatus,
        Read<OrderDocument.ServiceInfo>(Service),
        Read<OrderDocument.PaymentInfo>(Payment),
        Customer is null ? null : Read<OrderDocument.PartyInfo>(Customer),
        Driver is null ? null : Read<OrderDocument.PartyInfo>(Driver),
        Read<List<OrderDocument.PointInfo>>(Points),
        PromotionCode, FeeId, HasInsurance,
        PostgresTime.Utc(OrderTime),
        CompletedTime is { } completed ? PostgresTime.Utc(completed) : null,
        CancelTime is { } cancelled ? PostgresTime.Utc(cancelled) : null,
        Platform, PartnerId, IsSchedule, NowOrder: !IsSchedule, // derived, as the aggregate derives it
        JsonNode.Parse(Metadata) as JsonObject ?? [],
        RideOrder.WorkflowIdFor(Id), Version,
        PostgresTime.Utc(CreatedAt),
        PostgresTime.Utc(UpdatedAt));

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, OrderJson.Options);

    private static T Read<T>(string json) => JsonSerializer.Deserialize<T>(json, OrderJson.Options)
        ?? throw new InvalidDataException($"Stored {typeof(T).Name} is null.");
}
