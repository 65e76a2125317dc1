using System.Text.Json.Nodes;
using Go1.Orders.Domain;

namespace Go1.Orders.Application;

/// <summary>
/// The order read model: what <c>GET /orders/{id}</c> returns, what the CDC cache stores and, for its
/// nested parts, what the JSONB columns hold. Field names are snake_case on the wire (Go-compatible);
/// enums are their wire names.
/// </summary>
public sealed record OrderView(
    Guid Id,
    string CreatedBy,
    string CreatorRole,
    string Status,
    string? SubStatus,
    OrderView.ServiceView Service,
    OrderView.PaymentView Payment,
    OrderView.PartyView? Customer,
    OrderView.PartyView? Driver,
    IReadOnlyList<OrderView.PointView> Points,
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
    public sealed record ServiceView(string Id, string Type, string Name, string PricingMode, int AutoCancelInterval, int DriverLockTime, IReadOnlyList<string> Addons)
    {
        public static ServiceView From(ServiceSnapshot s) =>
            new(s.Id, WireNames.Of(s.Type), s.Name, s.PricingMode, (int)s.AutoCancelInterval.TotalSeconds, (int)s.DriverLockTime.TotalSeconds, s.Addons);

        public ServiceSnapshot ToDomain() =>
            new(Id, Parse<ServiceType>(Type), Name, PricingMode, TimeSpan.FromSeconds(AutoCancelInterval), TimeSpan.FromSeconds(DriverLockTime), Addons);
    }

    public sealed record PaymentView(string Method, string PaymentType, IReadOnlyDictionary<string, string> Config, FareView? Fare = null)
    {
        public static PaymentView From(Payment p) => new(WireNames.Of(p.Method), WireNames.Of(p.PaymentType), p.Config, FareView.From(p.Fare));

        public Payment ToDomain() => new(Parse<PaymentMethod>(Method), Parse<PaymentType>(PaymentType), Config, Fare?.ToDomain());
    }

    /// <summary>What the ride costs, priced by the server (minor units of <c>currency</c>).</summary>
    public sealed record FareView(long Amount, string Currency, int DistanceMeters)
    {
        public static FareView? From(Fare? f) => f is null ? null : new(f.Amount, f.Currency, f.DistanceMeters);

        public Fare ToDomain() => new(Amount, Currency, DistanceMeters);
    }

    public sealed record PartyView(string? Id, string? Phone, string? Name)
    {
        public static PartyView? From(Party? p) => p is null ? null : new(p.Id, p.Phone, p.Name);

        public Party ToDomain() => new(Id, Phone, Name);
    }

    public sealed record PointView(double Lat, double Lng, string? Address, string Type, int Order, string? Phone = null)
    {
        public static PointView From(RoutePoint p) => new(p.Lat, p.Lng, p.Address, WireNames.Of(p.Type), p.Order, p.Phone);

        public RoutePoint ToDomain() => new(Lat, Lng, Address, Parse<PointType>(Type), Order, Phone);
    }

    public static OrderView From(RideOrder order)
    {
        ArgumentNullException.ThrowIfNull(order);
        return new(
            order.Id, order.CreatedBy, WireNames.Of(order.CreatorRole), WireNames.Of(order.Status), order.SubStatus,
            ServiceView.From(order.Service), PaymentView.From(order.Payment), PartyView.From(order.Customer), PartyView.From(order.Driver),
            [.. order.Points.Select(PointView.From)], order.PromotionCode, order.FeeId, order.HasInsurance, order.OrderTime,
            order.CompletedTime, order.CancelTime, order.Platform, order.PartnerId, order.IsSchedule, order.NowOrder,
            (JsonObject)order.Metadata.DeepClone(), order.WorkflowId, order.Version, order.CreatedAt, order.UpdatedAt);
    }

    /// <summary>The aggregate this view was made from (for reads served from the cache).</summary>
    public RideOrder ToDomain() => RideOrder.Rehydrate(
        Id, CreatedBy, Parse<Audience>(CreatorRole), Parse<OrderStatus>(Status), SubStatus, Service.ToDomain(), Payment.ToDomain(),
        Customer?.ToDomain(), Driver?.ToDomain(), [.. Points.Select(p => p.ToDomain())], PromotionCode, FeeId, HasInsurance,
        OrderTime, CompletedTime, CancelTime, Platform, PartnerId, IsSchedule, (JsonObject)Metadata.DeepClone(), Version, CreatedAt, UpdatedAt);

    private static T Parse<T>(string text) where T : struct, Enum =>
        WireNames.TryParse<T>(text, out var value) ? value : throw new FormatException($"'{text}' is not a {typeof(T).Name}.");
}
