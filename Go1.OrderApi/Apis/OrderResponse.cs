using System.Text.Json.Nodes;
using Go1.Orders.ReadModel;

namespace Go1.OrderApi.Apis;

/// <summary>
/// The order as <c>POST /orders</c> and <c>GET /orders/{id}</c> return it: the HTTP contract, which the Go system's
/// clients read (snake_case, a top-level <c>id</c>). Its own field list, built from the read model, so a change here
/// never changes what Redis or PostgreSQL hold.
/// </summary>
public sealed record OrderResponse(
    Guid Id,
    string CreatedBy,
    string CreatorRole,
    string Status,
    string? SubStatus,
    OrderResponse.ServiceBody Service,
    OrderResponse.PaymentBody Payment,
    OrderResponse.PartyBody? Customer,
    OrderResponse.PartyBody? Driver,
    IReadOnlyList<OrderResponse.PointBody> Points,
    string? PromotionCode,
    string? FeeId,
    bool HasInsurance,
    DateTimeOffset OrderTime,
    DateTimeOffset? CompletedTime,
    DateTimeOffset? CancelTime,
    string? Platform,
    string? PartnerId,
    bool IsSchedule,
    bool NowOrder,
    JsonObject Metadata,
    string WorkflowId,
    long Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public sealed record ServiceBody(string Id, string Type, string Name, string PricingMode, int AutoCancelInterval, int DriverLockTime, IReadOnlyList<string> Addons);

    public sealed record PaymentBody(string Method, string PaymentType, IReadOnlyDictionary<string, string> Config, FareBody? Fare);

    /// <summary>What the ride costs, priced by the server (minor units of <c>currency</c>).</summary>
    public sealed record FareBody(long Amount, string Currency, int DistanceMeters);

    public sealed record PartyBody(string? Id, string? Phone, string? Name);

    public sealed record PointBody(double Lat, double Lng, string? Address, string Type, int Order, string? Phone);

    public static OrderResponse From(OrderDocument order)
    {
        ArgumentNullException.ThrowIfNull(order);
        var s = order.Service;
        var p = order.Payment;
        return new(
            order.Id, order.CreatedBy, order.CreatorRole, order.Status, order.SubStatus,
            new ServiceBody(s.Id, s.Type, s.Name, s.PricingMode, s.AutoCancelInterval, s.DriverLockTime, s.Addons),
            new PaymentBody(p.Method, p.PaymentType, p.Config, p.Fare is { } f ? new FareBody(f.Amount, f.Currency, f.DistanceMeters) : null),
            Party(order.Customer), Party(order.Driver),
            [.. order.Points.Select(x => new PointBody(x.Lat, x.Lng, x.Address, x.Type, x.Order, x.Phone))],
            order.PromotionCode, order.FeeId, order.HasInsurance, order.OrderTime, order.CompletedTime, order.CancelTime,
            order.Platform, order.PartnerId, order.IsSchedule, order.NowOrder, order.Metadata, order.WorkflowId, order.Version,
            order.CreatedAt, order.UpdatedAt);
    }

    private static PartyBody? Party(OrderDocument.PartyInfo? party) => party is null ? null : new(party.Id, party.Phone, party.Name);
}
