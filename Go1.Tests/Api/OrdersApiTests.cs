namespace Go1.Tests.Api;

/// <summary>POST and GET /orders against a real PostgreSQL: status codes, error codes, audiences, idempotency, outbox.</summary>
public sealed class OrdersApiTests(OrderApiFixture api) : IClassFixture<OrderApiFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string NewUser() => $"user-{Guid.NewGuid():N}";

    private async Task<T> ScalarAsync<T>(string sql, object? args = null)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        return await connection.ExecuteScalarAsync<T>(sql, args) ?? throw new InvalidOperationException("no value");
    }

    [Fact]
    public async Task Create_returns_201_with_location_and_the_order_which_get_returns_again()
    {
        var user = NewUser();
        var client = api.ClientFor(user);

        var created = await client.PostAsJsonAsync("/orders", OrderApiFixture.ValidOrder(), Ct);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var order = await OrderApiFixture.ReadOrderAsync(created);
        Assert.Equal($"/orders/{order.Id}", created.Headers.Location?.OriginalString);
        Assert.Equal(7, order.Id.Version);
        Assert.Equal("FINDING", order.Status);
        Assert.Equal(user, order.CreatedBy);
        Assert.Equal("user_app", order.CreatorRole);
        Assert.Equal(user, order.Customer!.Id);
        Assert.Equal("RIDE-TAXI", order.Service.Type);
        Assert.Equal(300, order.Service.AutoCancelInterval);
        Assert.Equal("POSTPAID", order.Payment.PaymentType);
        Assert.Equal(["pickup", "dropoff"], order.Points.Select(p => p.Type));
        Assert.Equal($"order-{order.Id}", order.WorkflowId);
        Assert.Equal(1, order.Version);

        var fetched = await client.GetAsync(created.Headers.Location, Ct);
        Assert.Equal(HttpStatusCode.OK, fetched.StatusCode);
        Assert.Equal(("application/json", "utf-8"), (fetched.Content.Headers.ContentType?.MediaType, fetched.Content.Headers.ContentType?.CharSet));
        Assert.Equal(JsonSerializer.Serialize(order, OrderJson.Options), JsonSerializer.Serialize(await OrderApiFixture.ReadOrderAsync(fetched), OrderJson.Options));
    }

    [Fact]
    public async Task Json_on_the_wire_is_snake_case_like_the_go_api()
    {
        var response = await api.ClientFor(NewUser()).PostAsJsonAsync("/orders", OrderApiFixture.ValidOrder(), Ct);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        var root = json.RootElement;

        foreach (var field in new[] { "id", "created_by", "creator_role", "status", "sub_status", "service", "payment", "customer", "driver", "points", "promotion_code", "fee_id", "has_insurance", "order_time", "completed_time", "cancel_time", "platform", "is_schedule", "now_order", "metadata", "workflow_id", "version", "created_at", "updated_at" })
        {
            Assert.True(root.TryGetProperty(field, out _), $"missing {field}");
        }

        Assert.Equal("cash", root.GetProperty("payment").GetProperty("method").GetString());
        Assert.Equal("test", root.GetProperty("metadata").GetProperty("source").GetString());
        Assert.Equal(300, root.GetProperty("service").GetProperty("auto_cancel_interval").GetInt32());
    }

    [Fact]
    public async Task Prepaid_order_waits_for_payment()
    {
        var response = await api.ClientFor(NewUser()).PostAsJsonAsync("/orders", OrderApiFixture.ValidOrder(paymentMethod: "card"), Ct);
        Assert.Equal("WAITING_FOR_PAYMENT", (await OrderApiFixture.ReadOrderAsync(response)).Status);
    }

    [Fact]
    public async Task Unknown_order_is_404_order_not_found() =>
        await ProblemAssert.IsProblemAsync(await api.ClientFor(NewUser()).GetAsync($"/orders/{Guid.CreateVersion7()}", Ct), HttpStatusCode.NotFound, ErrorCodes.OrderNotFound);

    [Fact]
    public async Task Order_id_that_is_not_a_uuid_is_a_validation_error()
    {
        var problem = await ProblemAssert.IsProblemAsync(await api.ClientFor(NewUser()).GetAsync("/orders/not-a-uuid", Ct), HttpStatusCode.BadRequest, ErrorCodes.ValidationFailed);
        Assert.True(problem.GetProperty("errors").TryGetProperty("id", out _));
    }

    [Fact]
    public async Task Someone_elses_order_is_403_order_access_denied()
    {
        var created = await api.ClientFor(NewUser()).PostAsJsonAsync("/orders", OrderApiFixture.ValidOrder(), Ct);
        await ProblemAssert.IsProblemAsync(await api.ClientFor(NewUser()).GetAsync(created.Headers.Location, Ct), HttpStatusCode.Forbidden, ErrorCodes.OrderAccessDenied);
    }

    [Theory]
    [InlineData("{\"service_id\": \"taxi\", ")]
    [InlineData("[1, 2, 3]")]
    [InlineData("{\"service_id\": \"taxi\", \"points\": [{\"lat\": \"north\"}]}")]
    [InlineData("null")]
    [InlineData("")]
    public async Task Body_that_is_not_the_expected_json_is_400_malformed_json(string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        await ProblemAssert.IsProblemAsync(await api.ClientFor(NewUser()).PostAsync("/orders", content, Ct), HttpStatusCode.BadRequest, "MALFORMED_JSON");
    }

    [Fact]
    public async Task Wrong_content_type_is_415()
    {
        using var content = new StringContent(JsonSerializer.Serialize(OrderApiFixture.ValidOrder()), Encoding.UTF8, "text/plain");
        await ProblemAssert.IsProblemAsync(await api.ClientFor(NewUser()).PostAsync("/orders", content, Ct), HttpStatusCode.UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE");
    }

    [Fact]
    public async Task Oversized_body_is_413_whatever_content_length_says()
    {
        var huge = "{\"service_id\":\"taxi\",\"metadata\":{\"x\":\"" + new string('x', 70_000) + "\"}}";
        using var declared = new StringContent(huge, Encoding.UTF8, "application/json");
        await ProblemAssert.IsProblemAsync(await api.ClientFor(NewUser()).PostAsync("/orders", declared, Ct), HttpStatusCode.RequestEntityTooLarge, "PAYLOAD_TOO_LARGE");

        using var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(huge)));
        chunked.Headers.ContentType = new("application/json");
        chunked.Headers.ContentLength = null;
        await ProblemAssert.IsProblemAsync(await api.ClientFor(NewUser()).PostAsync("/orders", chunked, Ct), HttpStatusCode.RequestEntityTooLarge, "PAYLOAD_TOO_LARGE");
    }

    public static TheoryData<string, string> BrokenRules => new()
    {
        { """{"payment_method":"cash","points":[{"lat":1,"lng":1,"type":"pickup"},{"lat":2,"lng":2,"type":"dropoff"}]}""", "service_id" },
        { """{"service_id":"taxi","payment_method":"cash","points":[]}""", "points" },
        { """{"service_id":"taxi","payment_method":"cash","points":[{"lat":1,"lng":1,"type":"pickup"}]}""", "points" },
        { """{"service_id":"taxi","payment_method":"cash","points":[{"lat":91,"lng":1,"type":"pickup"},{"lat":2,"lng":2,"type":"dropoff"}]}""", "points[0].lat" },
        { """{"service_id":"taxi","payment_method":"cash","points":[{"lat":1,"lng":-200,"type":"pickup"},{"lat":2,"lng":2,"type":"dropoff"}]}""", "points[0].lng" },
        { """{"service_id":"taxi","payment_method":"cash","points":[{"lat":1,"lng":1,"type":"pickup"},{"lat":2,"lng":2,"type":"moon"}]}""", "points[1].type" },
        { """{"service_id":"taxi","payment_method":"gold","points":[{"lat":1,"lng":1,"type":"pickup"},{"lat":2,"lng":2,"type":"dropoff"}]}""", "payment_method" },
        { """{"service_id":"taxi","payment_method":"cash","is_schedule":true,"points":[{"lat":1,"lng":1,"type":"pickup"},{"lat":2,"lng":2,"type":"dropoff"}]}""", "order_time" },
        { """{"service_id":"taxi","payment_method":"cash","customer_id":"someone-else","points":[{"lat":1,"lng":1,"type":"pickup"},{"lat":2,"lng":2,"type":"dropoff"}]}""", "customer_id" },
    };

    [Theory]
    [MemberData(nameof(BrokenRules))]
    public async Task Each_validation_rule_is_400_with_the_offending_field(string body, string field)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        var problem = await ProblemAssert.IsProblemAsync(await api.ClientFor(NewUser()).PostAsync("/orders", content, Ct), HttpStatusCode.BadRequest, ErrorCodes.ValidationFailed);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var messages), $"no error for {field}: {problem}");
        Assert.NotEmpty(messages.EnumerateArray());
    }

    [Theory]
    [InlineData("no-such-service", ErrorCodes.ServiceNotFound)]
    [InlineData("taxi-legacy", ErrorCodes.ServiceDisabled)]
    public async Task Unknown_or_disabled_service_is_422_with_its_own_code(string serviceId, string code) =>
        await ProblemAssert.IsProblemAsync(await api.ClientFor(NewUser()).PostAsJsonAsync("/orders", OrderApiFixture.ValidOrder(serviceId), Ct), HttpStatusCode.UnprocessableEntity, code);

    [Fact]
    public async Task Admin_portal_order_takes_customer_and_driver_from_the_body()
    {
        var body = new { service_id = "taxi", payment_method = "cash", customer_id = "cust-42", customer_phone = "+8490", driver_id = "drv-7", driver_name = "Tuan", points = new[] { new { lat = 1.0, lng = 1.0, type = "pickup" }, new { lat = 2.0, lng = 2.0, type = "dropoff" } } };
        var order = await OrderApiFixture.ReadOrderAsync(await api.ClientFor("ops-1", "admin_portal", partnerId: "partner-x").PostAsJsonAsync("/orders", body, Ct));

        Assert.Equal(("cust-42", "+8490"), (order.Customer!.Id, order.Customer.Phone));
        Assert.Equal(("drv-7", "Tuan"), (order.Driver!.Id, order.Driver.Name));
        Assert.Equal("admin_portal", order.CreatorRole);
        Assert.Equal("partner-x", order.PartnerId);
    }

    [Fact]
    public async Task Admin_portal_without_customer_is_a_validation_error()
    {
        var problem = await ProblemAssert.IsProblemAsync(await api.ClientFor("ops-1", "admin_portal").PostAsJsonAsync("/orders", OrderApiFixture.ValidOrder(), Ct), HttpStatusCode.BadRequest, ErrorCodes.ValidationFailed);
        Assert.True(problem.GetProperty("errors").TryGetProperty("customer_id", out _));
    }

    [Fact]
    public async Task Driver_app_order_has_the_calling_driver()
    {
        var driver = NewUser();
        var order = await OrderApiFixture.ReadOrderAsync(await api.ClientFor(driver, "driver_app").PostAsJsonAsync("/orders", OrderApiFixture.ValidOrder(), Ct));

        Assert.Equal(driver, order.Driver!.Id);
        Assert.Null(order.Customer);
        Assert.Equal(HttpStatusCode.OK, (await api.ClientFor(driver, "driver_app").GetAsync($"/orders/{order.Id}", Ct)).StatusCode);
    }

    [Fact]
    public async Task Missing_identity_is_401_unauthorized()
    {
        var anonymous = api.Factory.CreateClient();
        await ProblemAssert.IsProblemAsync(await anonymous.PostAsJsonAsync("/orders", OrderApiFixture.ValidOrder(), Ct), HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        await ProblemAssert.IsProblemAsync(await anonymous.GetAsync($"/orders/{Guid.CreateVersion7()}", Ct), HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }

    [Fact]
    public async Task Unknown_audience_is_403_forbidden() =>
        await ProblemAssert.IsProblemAsync(await api.ClientFor(NewUser(), "partner_bot").PostAsJsonAsync("/orders", OrderApiFixture.ValidOrder(), Ct), HttpStatusCode.Forbidden, "FORBIDDEN");

    [Fact]
    public async Task Unmatched_route_is_404_problem() =>
        await ProblemAssert.IsProblemAsync(await api.ClientFor(NewUser()).GetAsync("/nothing-here", Ct), HttpStatusCode.NotFound, "NOT_FOUND");

    [Fact]
    public async Task Repeated_idempotency_key_returns_the_first_order_and_writes_nothing_new()
    {
        var client = api.ClientFor(NewUser());
        var key = Guid.NewGuid().ToString();
        Task<HttpResponseMessage> SendAsync() => client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/orders")
        {
            Headers = { { "Idempotency-Key", key } },
            Content = JsonContent.Create(OrderApiFixture.ValidOrder()),
        }, Ct);

        var first = await SendAsync();
        var second = await SendAsync();

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        var id = (await OrderApiFixture.ReadOrderAsync(first)).Id;
        Assert.Equal(id, (await OrderApiFixture.ReadOrderAsync(second)).Id);
        Assert.Equal(1, await ScalarAsync<int>("SELECT count(*) FROM orders WHERE id = @id", new { id }));
        Assert.Equal(1, await ScalarAsync<int>("SELECT count(*) FROM outbox WHERE aggregate_id = @id", new { id }));
    }

    [Fact]
    public async Task Concurrent_requests_with_one_idempotency_key_create_one_order()
    {
        var user = NewUser();
        var key = Guid.NewGuid().ToString();
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/orders") { Content = JsonContent.Create(OrderApiFixture.ValidOrder()) };
            request.Headers.Add("Idempotency-Key", key);
            var response = await api.ClientFor(user).SendAsync(request, Ct);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return (await OrderApiFixture.ReadOrderAsync(response)).Id;
        }));

        Assert.Single(responses.Distinct());
        Assert.Equal(1, await ScalarAsync<int>("SELECT count(*) FROM orders WHERE created_by = @user", new { user }));
        Assert.Equal(1, await ScalarAsync<int>("SELECT count(*) FROM outbox WHERE aggregate_id = @id", new { id = responses[0] }));
    }

    [Fact]
    public async Task The_same_json_sent_again_with_other_whitespace_and_key_order_replays_the_first_order()
    {
        var client = api.ClientFor(NewUser());
        var key = Guid.NewGuid().ToString();
        async Task<HttpResponseMessage> SendAsync(string json)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/orders") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
            request.Headers.Add("Idempotency-Key", key);
            return await client.SendAsync(request, Ct);
        }

        var first = await SendAsync("""{"service_id":"taxi","payment_method":"cash","points":[{"lat":10.77,"lng":106.7,"type":"pickup"},{"lat":10.8,"lng":106.65,"type":"dropoff"}]}""");
        var retried = await SendAsync("""
            {
              "points": [ { "type": "pickup", "lng": 106.70, "lat": 10.77 }, { "type": "dropoff", "lat": 10.80, "lng": 106.65 } ],
              "payment_method": "cash",
              "service_id": "taxi"
            }
            """);

        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
        Assert.Equal((await OrderApiFixture.ReadOrderAsync(first)).Id, (await OrderApiFixture.ReadOrderAsync(retried)).Id);
    }

    [Fact]
    public async Task A_key_stored_before_the_canonical_hash_still_replays_its_order()
    {
        // Keys written by the previous release (or an old replica during a rolling deploy) hold a hash of the raw bytes.
        var client = api.ClientFor(NewUser());
        var key = Guid.NewGuid().ToString();
        var json = """{"service_id":"taxi","payment_method":"cash","points":[{"lat":10.77,"lng":106.7,"type":"pickup"},{"lat":10.8,"lng":106.65,"type":"dropoff"}]}""";
        async Task<HttpResponseMessage> SendAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/orders") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
            request.Headers.Add("Idempotency-Key", key);
            return await client.SendAsync(request, Ct);
        }

        var first = await OrderApiFixture.ReadOrderAsync(await SendAsync());
        await using (var connection = new NpgsqlConnection(api.ConnectionString))
        {
            await connection.ExecuteAsync("UPDATE idempotency_keys SET request_hash = @hash WHERE key = @key",
                new { hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(json))), key });
        }

        var retried = await SendAsync();

        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
        Assert.Equal(first.Id, (await OrderApiFixture.ReadOrderAsync(retried)).Id);
    }

    [Fact]
    public async Task Idempotency_key_reused_with_another_body_is_422()
    {
        var client = api.ClientFor(NewUser());
        var key = Guid.NewGuid().ToString();
        using var first = new HttpRequestMessage(HttpMethod.Post, "/orders") { Content = JsonContent.Create(OrderApiFixture.ValidOrder()) };
        first.Headers.Add("Idempotency-Key", key);
        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(first, Ct)).StatusCode);

        using var second = new HttpRequestMessage(HttpMethod.Post, "/orders") { Content = JsonContent.Create(OrderApiFixture.ValidOrder(paymentMethod: "card")) };
        second.Headers.Add("Idempotency-Key", key);
        await ProblemAssert.IsProblemAsync(await client.SendAsync(second, Ct), HttpStatusCode.UnprocessableEntity, ErrorCodes.IdempotencyKeyReused);
    }

    [Fact]
    public async Task Order_created_event_lands_in_the_outbox_with_the_requests_trace_context()
    {
        var traceId = System.Diagnostics.ActivityTraceId.CreateRandom().ToHexString();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/orders") { Content = JsonContent.Create(OrderApiFixture.ValidOrder()) };
        request.Headers.Add("traceparent", $"00-{traceId}-{System.Diagnostics.ActivitySpanId.CreateRandom().ToHexString()}-01");
        var order = await OrderApiFixture.ReadOrderAsync(await api.ClientFor(NewUser()).SendAsync(request, Ct));

        await using var connection = new NpgsqlConnection(api.ConnectionString);
        var row = await connection.QuerySingleAsync<(string EventType, string Topic, string Payload, string TraceParent)>(
            "SELECT event_type, topic, payload::text, traceparent FROM outbox WHERE aggregate_id = @id", new { id = order.Id });

        Assert.Equal(("OrderCreated", "orders.events"), (row.EventType, row.Topic));
        Assert.Contains(traceId, row.TraceParent, StringComparison.Ordinal);
        using var payload = JsonDocument.Parse(row.Payload);
        Assert.Equal(order.Id, payload.RootElement.GetProperty("order_id").GetGuid());
        Assert.Equal("FINDING", payload.RootElement.GetProperty("status").GetString());
        Assert.Equal(300, payload.RootElement.GetProperty("auto_cancel_interval").GetInt32());
    }

    [Fact]
    public async Task The_benchmark_bare_endpoint_exists_only_when_configured()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await api.Factory.CreateClient().GetAsync("/bench/bare", Ct)).StatusCode);

        await using var benchmarking = api.Factory.WithWebHostBuilder(b => b.UseSetting("Benchmark:BareEndpoint", "true"));
        Assert.Equal(HttpStatusCode.OK, (await benchmarking.CreateClient().GetAsync("/bench/bare", Ct)).StatusCode);
    }

    /// <summary>What the Go system's own clients send (its Gin DTO and scripts/test_flow), byte for byte.</summary>
    public const string GoSystemBody = """
        {"service_id": 1, "service_type": "RIDE-TAXI", "payment_method": "cash",
         "customer_id": "cust_123", "driver_id": "driver_123",
         "points": [{"lat": 10.7769, "lng": 106.7009, "type": "pickup", "address": "SGN", "phone": "0909000000"},
                    {"lat": 10.8231, "lng": 106.6297, "type": "dropoff", "address": "Home", "phone": "0909000000"}]}
        """;

    private async Task<HttpResponseMessage> PostRawAsync(string json, string user = "cust_123", string audience = "admin_portal") =>
        await api.ClientFor(user, audience).PostAsync("/orders", new StringContent(json, Encoding.UTF8, "application/json"), Ct);

    [Fact]
    public async Task The_go_systems_request_creates_the_order_it_asks_for()
    {
        var response = await PostRawAsync(GoSystemBody);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        var order = json.RootElement;
        Assert.True(Guid.TryParse(order.GetProperty("id").GetString(), out _)); // what the Go client reads (data.id, else id)
        Assert.Equal(("taxi", "RIDE-TAXI"), (order.GetProperty("service").GetProperty("id").GetString(), order.GetProperty("service").GetProperty("type").GetString()));
        Assert.Equal(("cust_123", "driver_123"), (order.GetProperty("customer").GetProperty("id").GetString(), order.GetProperty("driver").GetProperty("id").GetString()));
        Assert.Equal(["0909000000", "0909000000"], order.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("phone").GetString()));
        Assert.Equal("SGN", order.GetProperty("points")[0].GetProperty("address").GetString());
    }

    [Theory]
    [InlineData("""{"service_id": 1, "payment_method": "cash", "customer_id": "c", "points": [{"lat": 1, "lng": 1, "type": "pickup"}, {"lat": 2, "lng": 2, "type": "dropoff"}]}""", "service_type")]
    [InlineData("""{"service_id": 1, "service_type": "RIDE-HOUR", "payment_method": "cash", "customer_id": "c", "points": [{"lat": 1, "lng": 1, "type": "pickup"}, {"lat": 2, "lng": 2, "type": "dropoff"}]}""", "service_type")]
    [InlineData("""{"service_id": 1, "service_type": "RIDE-BOAT", "payment_method": "cash", "customer_id": "c", "points": [{"lat": 1, "lng": 1, "type": "pickup"}, {"lat": 2, "lng": 2, "type": "dropoff"}]}""", "service_type")]
    [InlineData("""{"service_id": true, "payment_method": "cash", "customer_id": "c", "points": [{"lat": 1, "lng": 1, "type": "pickup"}, {"lat": 2, "lng": 2, "type": "dropoff"}]}""", "service_id")]
    [InlineData("""{"service_id": -3, "service_type": "RIDE-TAXI", "payment_method": "cash", "customer_id": "c", "points": [{"lat": 1, "lng": 1, "type": "pickup"}, {"lat": 2, "lng": 2, "type": "dropoff"}]}""", "service_id")]
    public async Task A_numeric_service_id_needs_its_matching_service_type(string json, string field)
    {
        var problem = await ProblemAssert.IsProblemAsync(await PostRawAsync(json), HttpStatusCode.BadRequest, ErrorCodes.ValidationFailed);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task A_numeric_service_id_the_catalogue_does_not_know_is_422_service_not_found() =>
        await ProblemAssert.IsProblemAsync(await PostRawAsync(GoSystemBody.Replace("\"service_id\": 1", "\"service_id\": 999", StringComparison.Ordinal)),
            HttpStatusCode.UnprocessableEntity, ErrorCodes.ServiceNotFound);
}
