using System.Reflection;
using System.Text.Json.Nodes;
using Go1.OrderApi.Apis;
using Go1.Orders.Application.GetOrder;

namespace Go1.Tests.ReadModel;

/// <summary>The stored order document is a format of its own: pinned here, apart from what the API returns.</summary>
public sealed class OrderDocumentFormatTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 8, 30, 0, TimeSpan.Zero);

    private static OrderDocument Document() => new(
        Guid.Parse("0193a5a0-0000-7000-8000-000000000001"), "cust_123", "user_app", "ASSIGNED", "DRIVER_NEARBY",
        new("taxi", "RIDE-TAXI", "Taxi", "METERED", 300, 60, ["child_seat"]),
        new("card", "PREPAID", new Dictionary<string, string> { ["token"] = "tok_1" }, new(161120, "VND", 9320)),
        new("cust_123", "0909000000", "An"), new("driver_123", null, null),
        [new(10.7769, 106.7009, "SGN", "pickup", 0, "0909000000"), new(10.8231, 106.6297, "Home", "dropoff", 1)],
        "PROMO", "fee-1", true, At, null, null, "ios", "partner-1", false, true, new JsonObject { ["source"] = "test" },
        "order-0193a5a0-0000-7000-8000-000000000001", 3, At, At.AddMinutes(2));

    /// <summary>Format 1, as Redis holds it and change capture writes it. Changing this string is changing stored data.</summary>
    private const string FormatOne = """
        {"id":"0193a5a0-0000-7000-8000-000000000001","created_by":"cust_123","creator_role":"user_app","status":"ASSIGNED","sub_status":"DRIVER_NEARBY","service":{"id":"taxi","type":"RIDE-TAXI","name":"Taxi","pricing_mode":"METERED","auto_cancel_interval":300,"driver_lock_time":60,"addons":["child_seat"]},"payment":{"method":"card","payment_type":"PREPAID","config":{"token":"tok_1"},"fare":{"amount":161120,"currency":"VND","distance_meters":9320}},"customer":{"id":"cust_123","phone":"0909000000","name":"An"},"driver":{"id":"driver_123","phone":null,"name":null},"points":[{"lat":10.7769,"lng":106.7009,"address":"SGN","type":"pickup","order":0,"phone":"0909000000"},{"lat":10.8231,"lng":106.6297,"address":"Home","type":"dropoff","order":1,"phone":null}],"promotion_code":"PROMO","fee_id":"fee-1","has_insurance":true,"order_time":"2026-12-01T08:30:00+00:00","completed_time":null,"cancel_time":null,"platform":"ios","partner_id":"partner-1","is_schedule":false,"now_order":true,"metadata":{"source":"test"},"workflow_id":"order-0193a5a0-0000-7000-8000-000000000001","version":3,"created_at":"2026-12-01T08:30:00+00:00","updated_at":"2026-12-01T08:32:00+00:00","document_version":1}
        """;

    [Fact]
    public void The_stored_document_is_format_one_field_for_field()
    {
        Assert.Equal(FormatOne, JsonSerializer.Serialize(Document(), OrderJson.Options));
        Assert.Equal(FormatOne, JsonSerializer.Serialize(JsonSerializer.Deserialize<OrderDocument>(FormatOne, OrderJson.Options), OrderJson.Options));
    }

    [Fact]
    public void The_api_response_is_built_from_the_document_without_sharing_a_type_with_it()
    {
        var response = JsonNode.Parse(JsonSerializer.Serialize(OrderResponse.From(Document()), OrderJson.Options))!.AsObject();
        var stored = JsonNode.Parse(FormatOne)!.AsObject();

        // Today the response is the document minus its format number; each may change without the other.
        Assert.False(response.ContainsKey("document_version"));
        Assert.True(stored.Remove("document_version"));
        Assert.True(JsonNode.DeepEquals(stored, response));
        Assert.DoesNotContain(ContractTypes(typeof(OrderResponse)), t => t.Namespace == typeof(OrderDocument).Namespace);
    }

    [Fact]
    public async Task Get_serves_the_document_as_stored_without_rebuilding_the_order()
    {
        // A status this build's domain does not know (a newer writer's): rebuilding the aggregate would fail.
        var document = Document() with { Status = "ON_THE_MOON" };
        var reads = new OneDocument(document);

        var served = await new GetOrderHandler(reads).HandleAsync(new Caller("cust_123", Audience.UserApp, null, null), document.Id, TestContext.Current.CancellationToken);

        Assert.Same(document, served);
    }

    [Theory]
    [InlineData("cust_123", Audience.UserApp, null, true)]
    [InlineData("someone", Audience.UserApp, null, false)]
    [InlineData("driver_123", Audience.DriverApp, null, true)]
    [InlineData("cust_123", Audience.DriverApp, null, true)] // its creator
    [InlineData("ops", Audience.AdminPortal, null, true)]
    [InlineData("ops", Audience.AdminPortal, "partner-1", true)]
    [InlineData("ops", Audience.AdminPortal, "partner-2", false)]
    public void The_document_and_the_aggregate_answer_who_may_see_an_order_alike(string user, Audience audience, string? partner, bool visible)
    {
        var caller = new Caller(user, audience, null, partner);
        var document = Document();

        Assert.Equal(visible, document.IsVisibleTo(caller));
        Assert.Equal(visible, document.ToDomain().IsVisibleTo(caller));
    }

    private static HashSet<Type> ContractTypes(Type root)
    {
        var seen = new HashSet<Type>();
        var pending = new Stack<Type>([root]);
        while (pending.TryPop(out var type))
        {
            if (!seen.Add(type))
            {
                continue;
            }

            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                var t = property.PropertyType;
                foreach (var part in t.IsGenericType ? t.GetGenericArguments().Append(t) : [t])
                {
                    pending.Push(Nullable.GetUnderlyingType(part) ?? part);
                }
            }
        }

        return seen;
    }

    private sealed class OneDocument(OrderDocument document) : IOrderReads
    {
        public Task<OrderDocument?> GetAsync(Guid id, CancellationToken cancellationToken) => Task.FromResult<OrderDocument?>(id == document.Id ? document : null);
    }
}
