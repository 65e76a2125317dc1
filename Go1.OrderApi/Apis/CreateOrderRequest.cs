using System.Text.Json;
using System.Text.Json.Nodes;
using Go1.Orders.Application.CreateOrder;

namespace Go1.OrderApi.Apis;

/// <summary>
/// Body of <c>POST /orders</c> in both shapes, both permanent: Go1's (<c>service_id</c> a catalogue slug such as
/// <c>"taxi"</c>) and the Go system's (<c>service_id</c> its numeric id with a matching <c>service_type</c>, points with
/// a <c>phone</c>), so the Go system's clients work unchanged. Snake_case; enums stay strings here so each bad value is
/// reported against its field instead of failing the whole body.
/// </summary>
public sealed record CreateOrderRequest(
    JsonElement? ServiceId,
    string? ServiceType,
    string? PaymentMethod,
    Dictionary<string, string>? PaymentConfig,
    string? CustomerId,
    string? CustomerPhone,
    string? CustomerName,
    string? DriverId,
    string? DriverPhone,
    string? DriverName,
    List<CreateOrderRequest.Point>? Points,
    string? PromotionCode,
    string? FeeId,
    bool HasInsurance,
    DateTimeOffset? OrderTime,
    bool IsSchedule,
    string? Platform,
    JsonObject? Metadata)
{
    public sealed record Point(double? Lat, double? Lng, string? Address, string? Type, int? Order, string? Phone);

    public ServiceSelection Service() => ServiceId switch
    {
        null or { ValueKind: JsonValueKind.Null } => new ServiceSelection(null, Type: ServiceType),
        { ValueKind: JsonValueKind.String } slug => Slug(slug),
        { ValueKind: JsonValueKind.Number } number when number.TryGetInt32(out var goId) && goId > 0 => new ServiceSelection(null, goId, ServiceType),
        _ => new ServiceSelection(null, Type: ServiceType, Problem: "must be a catalogue slug (a string such as \"taxi\") or the Go system's service id (a positive integer)"),
    };

    private ServiceSelection Slug(JsonElement slug)
    {
        try
        {
            return new ServiceSelection(slug.GetString(), Type: ServiceType);
        }
        catch (InvalidOperationException)
        {
            // Read lazily, after the body parsed: a lone surrogate escape surfaces only here.
            return new ServiceSelection(null, Type: ServiceType, Problem: OrderLimits.NotStorable);
        }
    }

    public OrderDraft ToDraft() => new(
        PaymentMethod,
        PaymentConfig,
        new OrderDraft.PartyInput(CustomerId, CustomerPhone, CustomerName),
        new OrderDraft.PartyInput(DriverId, DriverPhone, DriverName),
        Points?.Select(p => new OrderDraft.PointInput(p.Lat, p.Lng, p.Address, p.Type, p.Order, p.Phone)).ToList(),
        PromotionCode,
        FeeId,
        HasInsurance,
        OrderTime,
        IsSchedule,
        Platform,
        Metadata);
}
