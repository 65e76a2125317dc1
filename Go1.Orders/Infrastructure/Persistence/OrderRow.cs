using System.Text.Json;
using System.Text.Json.Nodes;
using Go1.Orders.Application;
using Go1.Orders.Domain;

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

    public static OrderRow From(RideOrder order) => new()
    {
        Id = order.Id,
        CreatedBy = order.CreatedBy,
        CreatorRole = WireNames.Of(order.CreatorRole),
        Status = WireNames.Of(order.Status),
        SubStatus = order.SubStatus,
        Service = Json(OrderView.ServiceView.From(order.Service)),
        Payment = Json(OrderView.PaymentView.From(order.Payment)),
        Customer = order.Customer is null ? null : Json(OrderView.PartyView.From(order.Customer)),
        Driver = order.Driver is null ? null : Json(OrderView.PartyView.From(order.Driver)),
        Points = Json(order.Points.Select(OrderView.PointView.From)),
        PromotionCode = order.PromotionCode,
        FeeId = order.FeeId,
        HasInsurance = order.HasInsurance,
        OrderTime = order.OrderTime.UtcDateTime,
        CompletedTime = order.CompletedTime?.UtcDateTime,
        CancelTime = order.CancelTime?.UtcDateTime,
        Platform = order.Platform,
        PartnerId = order.PartnerId,
        IsSchedule = order.IsSchedule,
        NowOrder = order.NowOrder,
        Metadata = order.Metadata.ToJsonString(),
        WorkflowId = order.WorkflowId,
        Version = order.Version,
        CreatedAt = order.CreatedAt.UtcDateTime,
        UpdatedAt = order.UpdatedAt.UtcDateTime,
    };

    public RideOrder ToDomain() => RideOrder.Rehydrate(
        Id,
        CreatedBy,
        Parse<Audience>(CreatorRole),
        Parse<OrderStatus>(Status),
        SubStatus,
        Read<OrderView.ServiceView>(Service).ToDomain(),
        Read<OrderView.PaymentView>(Payment).ToDomain(),
        Customer is null ? null : Read<OrderView.PartyView>(Customer).ToDomain(),
        Driver is null ? null : Read<OrderView.PartyView>(Driver).ToDomain(),
        [.. Read<List<OrderView.PointView>>(Points).Select(p => p.ToDomain())],
        PromotionCode,
        FeeId,
        HasInsurance,
        Utc(OrderTime),
        CompletedTime is { } completed ? Utc(completed) : null,
        CancelTime is { } cancelled ? Utc(cancelled) : null,
        Platform,
        PartnerId,
        IsSchedule,
        JsonNode.Parse(Metadata) as JsonObject ?? [],
        Version,
        Utc(CreatedAt),
        Utc(UpdatedAt));

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, OrderJson.Options);

    private static T Read<T>(string json) => JsonSerializer.Deserialize<T>(json, OrderJson.Options)
        ?? throw new InvalidDataException($"Stored {typeof(T).Name} is null.");

    private static T Parse<T>(string text) where T : struct, Enum =>
        WireNames.TryParse<T>(text, out var value) ? value : throw new InvalidDataException($"Stored value '{text}' is not a {typeof(T).Name}.");

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
