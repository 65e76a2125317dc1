using System.Text.Json.Nodes;

namespace Go1.Orders.ReadModel;

/// <summary>
/// The order read model: the document the Redis cache stores and change capture writes, and, for its nested
/// parts, what the JSONB columns hold. It is a stored format: the API's response is a type of its own, so changing
/// what the API returns never changes what is stored. Field names are snake_case; enums are their wire names.
/// <c>DocumentVersion</c> is the format of this document: <see cref="CurrentVersion"/> when written, and 1 where it is
/// missing (documents older than it). Its default is a constructor parameter's, not an initializer's: generated
/// deserializers set every init-only property, missing or not, and an initializer's value would be lost.
/// </summary>
public sealed record OrderDocument(
    Guid Id,
    string CreatedBy,
    string CreatorRole,
    string Status,
    string? SubStatus,
    OrderDocument.ServiceInfo Service,
    OrderDocument.PaymentInfo Payment,
    OrderDocument.PartyInfo? Customer,
    OrderDocument.PartyInfo? Driver,
    IReadOnlyList<OrderDocument.PointInfo> Points,
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
    DateTimeOffset UpdatedAt,
    int DocumentVersion = OrderDocument.CurrentVersion)
{
    /// <summary>The document format this code writes and reads. A reader meets a newer one only mid-deploy: it treats it as absent.</summary>
    public const int CurrentVersion = 1;

    /// <summary>Whether <paramref name="caller"/> may see this order: the aggregate's rule, on the document.</summary>
    public bool IsVisibleTo(Caller caller) => OrderVisibility.Allows(caller, CreatedBy, Customer?.Id, Driver?.Id, PartnerId);

    public sealed record ServiceInfo(string Id, string Type, string Name, string PricingMode, int AutoCancelInterval, int DriverLockTime, IReadOnlyList<string> Addons)
    {
        public static ServiceInfo From(ServiceSnapshot s) =>
            new(s.Id, WireNames.Of(s.Type), s.Name, s.PricingMode, (int)s.AutoCancelInterval.TotalSeconds, (int)s.DriverLockTime.TotalSeconds, s.Addons);

        public ServiceSnapshot ToDomain() =>
            new(Id, Parse<ServiceType>(Type), Name, PricingMode, TimeSpan.FromSeconds(AutoCancelInterval), TimeSpan.FromSeconds(DriverLockTime), Addons);
    }

    public sealed record PaymentInfo(string Method, string PaymentType, IReadOnlyDictionary<string, string> Config, FareInfo? Fare = null)
    {
        public static PaymentInfo From(Payment p) => new(WireNames.Of(p.Method), WireNames.Of(p.PaymentType), p.Config, FareInfo.From(p.Fare));

        public Payment ToDomain() => new(Parse<PaymentMethod>(Method), Parse<PaymentType>(PaymentType), Config, Fare?.ToDomain());
    }

    /// <summary>What the ride costs, priced by the server (minor units of <c>currency</c>).</summary>
    public sealed record FareInfo(long Amount, string Currency, int DistanceMeters)
    {
        public static FareInfo? From(Fare? f) => f is null ? null : new(f.Amount, f.Currency, f.DistanceMeters);

        public Fare ToDomain() => new(Amount, Currency, DistanceMeters);
    }

    public sealed record PartyInfo(string? Id, string? Phone, string? Name)
    {
        public static PartyInfo? From(Party? p) => p is null ? null : new(p.Id, p.Phone, p.Name);

        public Party ToDomain() => new(Id, Phone, Name);
    }

    public sealed record PointInfo(double Lat, double Lng, string? Address, string Type, int Order, string? Phone = null)
    {
        public static PointInfo From(RoutePoint p) => new(p.Lat, p.Lng, p.Address, WireNames.Of(p.Type), p.Order, p.Phone);

        public RoutePoint ToDomain() => new(Lat, Lng, Address, Parse<PointType>(Type), Order, Phone);
    }

    public static OrderDocument From(RideOrder order)
    {
        ArgumentNullException.ThrowIfNull(order);
        return new(
            order.Id, order.CreatedBy, WireNames.Of(order.CreatorRole), WireNames.Of(order.Status), order.SubStatus,
            ServiceInfo.From(order.Service), PaymentInfo.From(order.Payment), PartyInfo.From(order.Customer), PartyInfo.From(order.Driver),
            [.. order.Points.Select(PointInfo.From)], order.PromotionCode, order.FeeId, order.HasInsurance, order.OrderTime,
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
