using System.Text.Json.Nodes;
using Go1.Orders.Domain;

namespace Go1.OrderApi.Apis;

/// <summary>
/// Body of <c>POST /orders</c>, wire-compatible with the Go API (snake_case). Enums stay strings here so
/// each bad value is reported against its field instead of failing the whole body.
/// </summary>
public sealed record CreateOrderRequest(
    string? ServiceId,
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
    public sealed record Point(double? Lat, double? Lng, string? Address, string? Type, int? Order);

    public OrderDraft ToDraft() => new(
        PaymentMethod,
        PaymentConfig,
        new OrderDraft.PartyInput(CustomerId, CustomerPhone, CustomerName),
        new OrderDraft.PartyInput(DriverId, DriverPhone, DriverName),
        Points?.Select(p => new OrderDraft.PointInput(p.Lat, p.Lng, p.Address, p.Type, p.Order)).ToList(),
        PromotionCode,
        FeeId,
        HasInsurance,
        OrderTime,
        IsSchedule,
        Platform,
        Metadata);
}
