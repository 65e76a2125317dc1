using System.Text.Json.Nodes;

namespace Go1.Tests.Domain;

public sealed class RideOrderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
    private static readonly ServiceSnapshot Taxi = new("taxi", ServiceType.RideTaxi, "Taxi", "METERED", TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(1), []);
    private static readonly Caller Rider = new("rider-1", Audience.UserApp, "ios", null);
    private static readonly Caller Admin = new("admin-1", Audience.AdminPortal, "web", "partner-a");
    private static readonly Caller DriverCaller = new("driver-9", Audience.DriverApp, "android", null);

    private static OrderDraft Draft(
        string? paymentMethod = "cash",
        OrderDraft.PartyInput? customer = null,
        OrderDraft.PartyInput? driver = null,
        IReadOnlyList<OrderDraft.PointInput>? points = null,
        bool isSchedule = false,
        DateTimeOffset? orderTime = null,
        string? promotionCode = null,
        JsonObject? metadata = null) =>
        new(paymentMethod, null, customer, driver,
            points ?? [new(10.77, 106.70, "A", "pickup", 0), new(10.80, 106.65, "B", "dropoff", 1)],
            promotionCode, null, false, orderTime, isSchedule, null, metadata);

    private static RideOrder Create(Caller caller, OrderDraft draft) => RideOrder.Create(Guid.CreateVersion7(), caller, Taxi, draft, Now);

    private static IReadOnlyDictionary<string, string[]> ErrorsOf(Caller caller, OrderDraft draft) =>
        Assert.Throws<OrderValidationException>(() => Create(caller, draft)).Errors;

    /// <summary>Each of <paramref name="fields"/> has an error (others may too).</summary>
    private static void AssertFieldErrors(IReadOnlyDictionary<string, string[]> errors, params string[] fields) =>
        Assert.Superset(fields.ToHashSet(), errors.Keys.ToHashSet());

    [Fact]
    public void User_app_order_has_the_caller_as_customer_and_no_driver()
    {
        var order = Create(Rider, Draft(customer: new(null, "+84900", "Lan")));

        Assert.Equal(new Party("rider-1", "+84900", "Lan"), order.Customer);
        Assert.Null(order.Driver);
        Assert.Equal("rider-1", order.CreatedBy);
        Assert.Equal(Audience.UserApp, order.CreatorRole);
        Assert.Equal("ios", order.Platform);
        Assert.Equal($"order-{order.Id}", order.WorkflowId);
        Assert.Equal(1, order.Version);
        Assert.True(order.NowOrder);
        Assert.Equal(Now, order.OrderTime);
    }

    [Fact]
    public void Driver_app_order_has_the_caller_as_driver_and_an_optional_street_customer()
    {
        var order = Create(DriverCaller, Draft(customer: new(null, "+84911", null), driver: new(null, null, "Minh")));

        Assert.Equal(new Party("driver-9", null, "Minh"), order.Driver);
        Assert.Equal(new Party(null, "+84911", null), order.Customer);
    }

    [Fact]
    public void Admin_order_takes_customer_and_optional_driver_from_the_body()
    {
        var order = Create(Admin, Draft(customer: new("cust-7", null, null), driver: new("drv-3", null, null)));

        Assert.Equal("cust-7", order.Customer!.Id);
        Assert.Equal("drv-3", order.Driver!.Id);
        Assert.Equal("partner-a", order.PartnerId);
    }

    [Theory]
    [InlineData("cash", false, OrderStatus.Finding)]
    [InlineData("cash", true, OrderStatus.Scheduling)]
    [InlineData("card", false, OrderStatus.WaitingForPayment)]
    [InlineData("wallet", true, OrderStatus.WaitingForPayment)]
    public void Initial_status_follows_payment_type_and_schedule(string method, bool scheduled, OrderStatus expected)
    {
        var order = Create(Rider, Draft(paymentMethod: method, isSchedule: scheduled, orderTime: scheduled ? Now.AddHours(2) : null));

        Assert.Equal(expected, order.Status);
        Assert.Equal(method == "cash" ? PaymentType.Postpaid : PaymentType.Prepaid, order.Payment.PaymentType);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("bitcoin")]
    [InlineData("CASH")]
    public void Unknown_payment_method_is_a_field_error(string? method) =>
        Assert.Contains("payment_method", ErrorsOf(Rider, Draft(paymentMethod: method)).Keys);

    [Fact]
    public void Points_are_required() => Assert.Contains("points", ErrorsOf(Rider, Draft(points: [])).Keys);

    [Fact]
    public void A_pickup_and_a_dropoff_are_both_required()
    {
        var onlyPickup = ErrorsOf(Rider, Draft(points: [new(1, 1, null, "pickup", 0), new(2, 2, null, "stop", 1)]));
        var onlyDropoff = ErrorsOf(Rider, Draft(points: [new(1, 1, null, "dropoff", 0)]));

        Assert.Contains("must contain a dropoff", onlyPickup["points"]);
        Assert.Contains("must contain a pickup", onlyDropoff["points"]);
    }

    [Theory]
    [InlineData(90.0001, 0, "points[0].lat")]
    [InlineData(-90.5, 0, "points[0].lat")]
    [InlineData(double.NaN, 0, "points[0].lat")]
    [InlineData(0, 180.1, "points[0].lng")]
    [InlineData(0, -181, "points[0].lng")]
    [InlineData(0, double.PositiveInfinity, "points[0].lng")]
    public void Coordinates_out_of_range_are_field_errors(double lat, double lng, string field) =>
        Assert.Contains(field, ErrorsOf(Rider, Draft(points: [new(lat, lng, null, "pickup", 0), new(1, 1, null, "dropoff", 1)])).Keys);

    [Fact]
    public void Missing_coordinates_unknown_point_type_and_negative_order_are_field_errors()
    {
        var errors = ErrorsOf(Rider, Draft(points: [new(null, null, null, "pickup", 0), new(1, 1, null, "airport", -1), new(1, 1, null, "dropoff", 2)]));

        AssertFieldErrors(errors, "points[0].lat", "points[0].lng", "points[1].type", "points[1].order");
    }

    [Fact]
    public void At_most_twelve_points()
    {
        var points = Enumerable.Range(0, OrderLimits.MaxPoints + 1).Select(i => new OrderDraft.PointInput(1, 1, null, i == 0 ? "pickup" : "dropoff", i)).ToList();
        Assert.Contains("points", ErrorsOf(Rider, Draft(points: points)).Keys);
    }

    [Fact]
    public void Points_are_kept_in_ride_order()
    {
        var order = Create(Rider, Draft(points: [new(3, 3, "C", "dropoff", 2), new(1, 1, "A", "pickup", 0), new(2, 2, "B", "stop", 1)]));
        Assert.Equal(["A", "B", "C"], order.Points.Select(p => p.Address));
    }

    [Fact]
    public void Admin_must_name_the_customer_and_any_driver_by_id()
    {
        var errors = ErrorsOf(Admin, Draft(customer: new(null, "+1", null), driver: new(null, null, "Bob")));

        AssertFieldErrors(errors, "customer_id", "driver_id");
    }

    [Fact]
    public void User_app_cannot_order_for_someone_else_or_choose_a_driver()
    {
        var errors = ErrorsOf(Rider, Draft(customer: new("rider-2", null, null), driver: new("drv-1", null, null)));

        AssertFieldErrors(errors, "customer_id", "driver_id");
    }

    [Fact]
    public void Driver_app_cannot_create_orders_for_another_driver() =>
        Assert.Contains("driver_id", ErrorsOf(DriverCaller, Draft(driver: new("driver-10", null, null))).Keys);

    [Fact]
    public void String_lengths_are_bounded()
    {
        var errors = ErrorsOf(Rider, Draft(
            customer: new(null, new string('9', OrderLimits.PhoneLength + 1), new string('n', OrderLimits.NameLength + 1)),
            promotionCode: new string('p', OrderLimits.CodeLength + 1),
            points: [new(1, 1, new string('a', OrderLimits.AddressLength + 1), "pickup", 0), new(1, 1, null, "dropoff", 1)]));

        AssertFieldErrors(errors, "customer_phone", "customer_name", "promotion_code", "points[0].address");
    }

    [Fact]
    public void Metadata_size_is_bounded()
    {
        var big = new JsonObject { ["blob"] = new string('x', OrderLimits.MaxMetadataBytes) };
        Assert.Contains("metadata", ErrorsOf(Rider, Draft(metadata: big)).Keys);

        var small = new JsonObject { ["source"] = "campaign-42" };
        Assert.Equal("campaign-42", Create(Rider, Draft(metadata: small)).Metadata["source"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(null)]
    [InlineData(-60)]
    [InlineData(0)]
    [InlineData(60 * 24 * 31)]
    public void Scheduled_order_needs_a_time_in_the_next_thirty_days(int? minutesFromNow) =>
        Assert.Contains("order_time", ErrorsOf(Rider, Draft(isSchedule: true, orderTime: minutesFromNow is { } m ? Now.AddMinutes(m) : null)).Keys);

    [Fact]
    public void Every_broken_rule_is_reported_at_once()
    {
        var errors = ErrorsOf(Rider, Draft(paymentMethod: "gold", points: [], promotionCode: new string('p', 100)));
        Assert.Equal(["payment_method", "points", "promotion_code"], errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Prepaid_ride_goes_through_the_whole_life_cycle()
    {
        var order = Create(Rider, Draft(paymentMethod: "card"));

        order.ConfirmPayment(Now.AddSeconds(1));
        Assert.Equal(OrderStatus.Finding, order.Status);

        order.AssignDriver(new Party("drv-1", "+1", "Ann"), Now.AddSeconds(2));
        Assert.Equal(OrderStatus.Assigned, order.Status);
        Assert.Equal("drv-1", order.Driver!.Id);

        order.Complete(Now.AddMinutes(20));
        Assert.Equal(OrderStatus.Completed, order.Status);
        Assert.Equal(Now.AddMinutes(20), order.CompletedTime);
        Assert.Equal(Now.AddMinutes(20), order.UpdatedAt);
    }

    [Fact]
    public void Scheduled_prepaid_order_waits_in_scheduling_until_its_time()
    {
        var order = Create(Rider, Draft(paymentMethod: "wallet", isSchedule: true, orderTime: Now.AddHours(3)));

        order.ConfirmPayment(Now);
        Assert.Equal(OrderStatus.Scheduling, order.Status);
        order.StartFinding(Now.AddHours(3));
        Assert.Equal(OrderStatus.Finding, order.Status);
    }

    [Fact]
    public void Cancel_records_why_and_when_and_is_final()
    {
        var order = Create(Rider, Draft());

        order.Cancel("CUSTOMER_CANCELED", Now.AddMinutes(1));

        Assert.Equal(OrderStatus.Cancelled, order.Status);
        Assert.Equal("CUSTOMER_CANCELED", order.SubStatus);
        Assert.Equal(Now.AddMinutes(1), order.CancelTime);
        Assert.Equal(ErrorCodes.IllegalTransition, Assert.Throws<DomainException>(() => order.Cancel("AGAIN", Now)).Code);
        Assert.Equal(ErrorCodes.IllegalTransition, Assert.Throws<DomainException>(() => order.AssignDriver(new Party("d", null, null), Now)).Code);
    }

    [Fact]
    public void Illegal_moves_leave_the_order_unchanged()
    {
        var order = Create(Rider, Draft()); // cash: FINDING

        Assert.Throws<DomainException>(() => order.ConfirmPayment(Now));
        Assert.Throws<DomainException>(() => order.Complete(Now));
        Assert.Equal(OrderStatus.Finding, order.Status);
        Assert.Null(order.CompletedTime);
    }

    [Theory]
    [InlineData("rider-1", Audience.UserApp, null, true)]
    [InlineData("rider-2", Audience.UserApp, null, false)]
    [InlineData("driver-x", Audience.DriverApp, null, false)]
    [InlineData("ops", Audience.AdminPortal, null, true)]
    [InlineData("ops", Audience.AdminPortal, "partner-b", false)]
    public void Visibility_follows_ownership_and_partner(string userId, Audience audience, string? partner, bool visible)
    {
        var order = Create(Rider, Draft());
        Assert.Equal(visible, order.IsVisibleTo(new Caller(userId, audience, null, partner)));
    }

    [Fact]
    public void The_client_never_decides_what_it_is_charged()
    {
        var draft = Draft(paymentMethod: "card") with { PaymentConfig = new Dictionary<string, string> { ["amount"] = "1", ["card_token"] = "tok_1" } };

        Assert.Contains("payment_config.amount", ErrorsOf(Rider, draft).Keys);
    }
}
