using System.Text;
using System.Text.Json.Nodes;

namespace Go1.Orders.Domain;

/// <summary>
/// The ride order aggregate. <see cref="Create"/> enforces every invariant of a new order; status
/// changes go through <see cref="OrderStatusMachine"/>, so an order can never be in a state the
/// machine does not allow.
/// </summary>
public sealed class RideOrder
{
    private const string PaymentConfigAmountKey = "amount";

    private RideOrder()
    {
    }

    public Guid Id { get; private init; }

    public string CreatedBy { get; private init; } = string.Empty;

    public Audience CreatorRole { get; private init; }

    public OrderStatus Status { get; private set; }

    public string? SubStatus { get; private set; }

    public ServiceSnapshot Service { get; private init; } = null!;

    public Payment Payment { get; private set; } = null!;

    public Party? Customer { get; private init; }

    public Party? Driver { get; private set; }

    public IReadOnlyList<RoutePoint> Points { get; private init; } = [];

    public string? PromotionCode { get; private init; }

    public string? FeeId { get; private init; }

    public bool HasInsurance { get; private init; }

    public DateTimeOffset OrderTime { get; private init; }

    public DateTimeOffset? CompletedTime { get; private set; }

    public DateTimeOffset? CancelTime { get; private set; }

    public string? Platform { get; private init; }

    public string? PartnerId { get; private init; }

    public bool IsSchedule { get; private init; }

    public bool NowOrder => !IsSchedule;

    public JsonObject Metadata { get; private init; } = [];

    public string WorkflowId => WorkflowIdFor(Id);

    /// <summary>Grows by one on every stored change; the CDC cache uses it to refuse stale snapshots.</summary>
    public long Version { get; private init; } = 1;

    public DateTimeOffset CreatedAt { get; private init; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public static string WorkflowIdFor(Guid orderId) => $"order-{orderId}";

    /// <summary>Validates a draft against every rule and returns the new order, or throws <see cref="OrderValidationException"/> listing all broken rules.</summary>
    public static RideOrder Create(Guid id, Caller caller, ServiceSnapshot service, OrderDraft draft, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(draft);

        var errors = new ValidationErrors();
        var (customer, driver) = ResolveParties(caller, draft, errors);
        var points = ValidatePoints(draft.Points, errors);
        var payment = ValidatePayment(draft, errors);
        var orderTime = ValidateOrderTime(draft, now, errors);
        errors.Text("promotion_code", draft.PromotionCode, OrderLimits.CodeLength);
        errors.Text("fee_id", draft.FeeId, OrderLimits.CodeLength);
        var platform = caller.Platform ?? draft.Platform;
        errors.Text("platform", platform, OrderLimits.PlatformLength);
        var metadata = draft.Metadata ?? [];
        ValidateStorable("metadata", metadata, errors);
        if (errors.IsEmpty && Encoding.UTF8.GetByteCount(metadata.ToJsonString()) > OrderLimits.MaxMetadataBytes)
        {
            errors.Add("metadata", $"must serialize to at most {OrderLimits.MaxMetadataBytes} bytes");
        }

        errors.ThrowIfAny();

        return new RideOrder
        {
            Id = id,
            CreatedBy = caller.UserId,
            CreatorRole = caller.Audience,
            Status = InitialStatus(payment!.PaymentType, draft.IsSchedule),
            Service = service,
            Payment = payment,
            Customer = customer,
            Driver = driver,
            Points = points,
            PromotionCode = Blank(draft.PromotionCode),
            FeeId = Blank(draft.FeeId),
            HasInsurance = draft.HasInsurance,
            OrderTime = orderTime,
            Platform = Blank(platform),
            PartnerId = caller.PartnerId,
            IsSchedule = draft.IsSchedule,
            Metadata = (JsonObject)metadata.DeepClone(),
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    /// <summary>Rebuilds a stored order as it is; the database only ever holds orders that passed <see cref="Create"/>.</summary>
    public static RideOrder Rehydrate(
        Guid id, string createdBy, Audience creatorRole, OrderStatus status, string? subStatus, ServiceSnapshot service,
        Payment payment, Party? customer, Party? driver, IReadOnlyList<RoutePoint> points, string? promotionCode,
        string? feeId, bool hasInsurance, DateTimeOffset orderTime, DateTimeOffset? completedTime, DateTimeOffset? cancelTime,
        string? platform, string? partnerId, bool isSchedule, JsonObject metadata, long version, DateTimeOffset createdAt,
        DateTimeOffset updatedAt) => new()
        {
            Id = id, CreatedBy = createdBy, CreatorRole = creatorRole, Status = status, SubStatus = subStatus, Service = service,
            Payment = payment, Customer = customer, Driver = driver, Points = points, PromotionCode = promotionCode, FeeId = feeId,
            HasInsurance = hasInsurance, OrderTime = orderTime, CompletedTime = completedTime, CancelTime = cancelTime,
            Platform = platform, PartnerId = partnerId, IsSchedule = isSchedule, Metadata = metadata, Version = version,
            CreatedAt = createdAt, UpdatedAt = updatedAt,
        };

    /// <summary>Who may read the order: admins of the same partner (or any, without partner), its creator, customer and driver.</summary>
    public bool IsVisibleTo(Caller caller) => OrderVisibility.Allows(caller, CreatedBy, Customer?.Id, Driver?.Id, PartnerId);

    /// <summary>Records what the ride costs, as the server priced it; an order is priced once.</summary>
    public void Price(Fare fare)
    {
        ArgumentNullException.ThrowIfNull(fare);
        if (Payment.Fare is not null)
        {
            throw new InvalidOperationException($"Order {Id} is already priced.");
        }

        Payment = Payment with { Fare = fare };
    }

    /// <summary>Prepaid payment authorized: the order goes looking for a driver (or waits for its scheduled time).</summary>
    public void ConfirmPayment(DateTimeOffset at) => MoveTo(IsSchedule ? OrderStatus.Scheduling : OrderStatus.Finding, at);

    /// <summary>A scheduled order's time has come.</summary>
    public void StartFinding(DateTimeOffset at) => MoveTo(OrderStatus.Finding, at);

    public void AssignDriver(Party driver, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(driver);
        MoveTo(OrderStatus.Assigned, at);
        Driver = driver;
    }

    public void Complete(DateTimeOffset at)
    {
        MoveTo(OrderStatus.Completed, at);
        CompletedTime = at;
    }

    /// <summary>Cancels from any non-final status; <paramref name="reason"/> becomes the sub-status (e.g. NO_DRIVER_FOUND).</summary>
    public void Cancel(string reason, DateTimeOffset at)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        MoveTo(OrderStatus.Cancelled, at);
        SubStatus = reason;
        CancelTime = at;
    }

    private void MoveTo(OrderStatus next, DateTimeOffset at)
    {
        OrderStatusMachine.EnsureCanMove(Status, next);
        Status = next;
        UpdatedAt = at;
    }

    private static OrderStatus InitialStatus(PaymentType paymentType, bool isSchedule) =>
        paymentType == PaymentType.Prepaid ? OrderStatus.WaitingForPayment
        : isSchedule ? OrderStatus.Scheduling
        : OrderStatus.Finding;

    /// <summary>The caller's audience decides who the customer and the driver are.</summary>
    private static (Party? Customer, Party? Driver) ResolveParties(Caller caller, OrderDraft draft, ValidationErrors errors)
    {
        var customer = ValidateParty("customer", draft.Customer, errors);
        var driver = ValidateParty("driver", draft.Driver, errors);
        switch (caller.Audience)
        {
            case Audience.AdminPortal:
                if (customer?.Id is null)
                {
                    errors.Add("customer_id", "is required when an admin creates an order");
                }

                if (driver is { Id: null })
                {
                    errors.Add("driver_id", "is required when driver details are given");
                }

                return (customer, driver);

            case Audience.UserApp:
                if (customer?.Id is { } customerId && customerId != caller.UserId)
                {
                    errors.Add("customer_id", "must be empty or the caller's own id in user_app");
                }

                if (driver is not null)
                {
                    errors.Add("driver_id", "cannot be chosen from user_app");
                }

                return (new Party(caller.UserId, customer?.Phone, customer?.Name), null);

            case Audience.DriverApp:
                if (driver?.Id is { } driverId && driverId != caller.UserId)
                {
                    errors.Add("driver_id", "must be empty or the caller's own id in driver_app");
                }

                return (customer, new Party(caller.UserId, driver?.Phone, driver?.Name));

            default:
                errors.Add("audience", "is not one of " + string.Join(", ", WireNames.All<Audience>()));
                return (null, null);
        }
    }

    private static Party? ValidateParty(string role, OrderDraft.PartyInput? input, ValidationErrors errors)
    {
        if (input is null || (Blank(input.Id) is null && Blank(input.Phone) is null && Blank(input.Name) is null))
        {
            return null;
        }

        errors.Text($"{role}_id", input.Id, OrderLimits.IdLength);
        errors.Text($"{role}_phone", input.Phone, OrderLimits.PhoneLength);
        errors.Text($"{role}_name", input.Name, OrderLimits.NameLength);
        return new Party(Blank(input.Id), Blank(input.Phone), Blank(input.Name));
    }

    private static List<RoutePoint> ValidatePoints(IReadOnlyList<OrderDraft.PointInput>? input, ValidationErrors errors)
    {
        var points = new List<RoutePoint>();
        if (input is null || input.Count == 0)
        {
            errors.Add("points", "must contain a pickup and a dropoff");
            return points;
        }

        if (input.Count > OrderLimits.MaxPoints)
        {
            errors.Add("points", $"must contain at most {OrderLimits.MaxPoints} points");
            return points;
        }

        for (var i = 0; i < input.Count; i++)
        {
            var p = input[i];
            var field = $"points[{i}]";
            if (p.Lat is not { } lat || !double.IsFinite(lat) || lat is < -90 or > 90)
            {
                errors.Add($"{field}.lat", "must be a latitude between -90 and 90");
            }

            if (p.Lng is not { } lng || !double.IsFinite(lng) || lng is < -180 or > 180)
            {
                errors.Add($"{field}.lng", "must be a longitude between -180 and 180");
            }

            if (!WireNames.TryParse<PointType>(p.Type, out var type))
            {
                errors.Add($"{field}.type", "must be one of " + string.Join(", ", WireNames.All<PointType>()));
            }

            if (p.Order is < 0)
            {
                errors.Add($"{field}.order", "must not be negative");
            }

            errors.Text($"{field}.address", p.Address, OrderLimits.AddressLength);
            errors.Text($"{field}.phone", p.Phone, OrderLimits.PhoneLength);
            points.Add(new RoutePoint(p.Lat ?? 0, p.Lng ?? 0, Blank(p.Address), type, p.Order ?? i, Blank(p.Phone)));
        }

        if (!points.Exists(p => p.Type == PointType.Pickup))
        {
            errors.Add("points", "must contain a pickup");
        }

        if (!points.Exists(p => p.Type == PointType.Dropoff))
        {
            errors.Add("points", "must contain a dropoff");
        }

        return [.. points.OrderBy(p => p.Order)];
    }

    private static Payment? ValidatePayment(OrderDraft draft, ValidationErrors errors)
    {
        if (!WireNames.TryParse<PaymentMethod>(draft.PaymentMethod, out var method))
        {
            errors.Add("payment_method", "must be one of " + string.Join(", ", WireNames.All<PaymentMethod>()));
            return null;
        }

        var config = draft.PaymentConfig ?? new Dictionary<string, string>();
        if (config.Count > OrderLimits.MaxPaymentConfigEntries)
        {
            errors.Add("payment_config", $"must have at most {OrderLimits.MaxPaymentConfigEntries} entries");
        }

        if (config.ContainsKey(PaymentConfigAmountKey))
        {
            errors.Add($"payment_config.{PaymentConfigAmountKey}", "is not accepted: the server prices the ride from its service and route");
        }

        foreach (var (key, value) in config)
        {
            errors.Text($"payment_config.{key}", key, OrderLimits.CodeLength);
            errors.Text($"payment_config.{key}", value, OrderLimits.PaymentConfigValueLength);
        }

        return new Payment(method, Payment.TypeOf(method), new Dictionary<string, string>(config, StringComparer.Ordinal));
    }

    private static DateTimeOffset ValidateOrderTime(OrderDraft draft, DateTimeOffset now, ValidationErrors errors)
    {
        if (!draft.IsSchedule)
        {
            return now;
        }

        if (draft.OrderTime is not { } at)
        {
            errors.Add("order_time", "is required for a scheduled order");
            return now;
        }

        if (at <= now)
        {
            errors.Add("order_time", "must be in the future for a scheduled order");
        }
        else if (at - now > OrderLimits.MaxScheduleAhead)
        {
            errors.Add("order_time", $"must be at most {OrderLimits.MaxScheduleAhead.TotalDays:0} days ahead");
        }

        return at;
    }

    /// <summary>Every key and string in <paramref name="node"/> must be storable; errors name their path (<c>metadata.tags[1]</c>).</summary>
    private static void ValidateStorable(string path, JsonNode? node, ValidationErrors errors)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    var field = $"{path}.{key}";
                    if (!OrderLimits.IsStorable(key))
                    {
                        errors.Add(field, OrderLimits.NotStorable);
                    }

                    ValidateStorable(field, value, errors);
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    ValidateStorable($"{path}[{i}]", array[i], errors);
                }

                break;
            case JsonValue value:
                try
                {
                    if (value.TryGetValue<string>(out var text) && !OrderLimits.IsStorable(text))
                    {
                        errors.Add(path, OrderLimits.NotStorable);
                    }
                }
                catch (InvalidOperationException)
                {
                    // A parsed body's strings are decoded when first read: an escaped lone surrogate fails here.
                    errors.Add(path, OrderLimits.NotStorable);
                }

                break;
        }
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
