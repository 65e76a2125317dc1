using System.Globalization;

namespace Go1.Tests.Api;

/// <summary>
/// Whatever a client sends, the answer is never a 5xx, and every 4xx carries a stable code. PostgreSQL cannot store
/// U+0000 and UTF-8 has no lone surrogates: both are client mistakes to be named, not server errors.
/// </summary>
public sealed class HostileInputTests(OrderApiFixture api) : IClassFixture<OrderApiFixture>
{
    private static readonly HashSet<string> StableCodes =
    [
        ErrorCodes.ValidationFailed, ErrorCodes.ServiceNotFound, ErrorCodes.ServiceDisabled, ErrorCodes.IdempotencyKeyReused,
        "MALFORMED_JSON", "PAYLOAD_TOO_LARGE", "UNSUPPORTED_MEDIA_TYPE", "BAD_REQUEST", "FORBIDDEN", "UNAUTHORIZED",
    ];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(HttpStatusCode Status, string Body)> PostAsync(HttpClient client, byte[] body, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/orders") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }

        var response = await client.SendAsync(request, Ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    private static string ErrorsOf(string body) =>
        string.Join(", ", JsonDocument.Parse(body).RootElement.TryGetProperty("errors", out var errors) ? errors.EnumerateObject().Select(e => e.Name) : []);

    [Theory]
    [InlineData("points[0].address", """{"service_id":"taxi","payment_method":"cash","customer_id":"c1","points":[{"lat":1,"lng":1,"type":"pickup","address":"A\u0000B"},{"lat":2,"lng":2,"type":"dropoff"}]}""")]
    [InlineData("metadata.note", """{"service_id":"taxi","payment_method":"cash","customer_id":"c1","metadata":{"note":"x\u0000"},"points":[{"lat":1,"lng":1,"type":"pickup"},{"lat":2,"lng":2,"type":"dropoff"}]}""")]
    [InlineData("metadata.tags[1]", """{"service_id":"taxi","payment_method":"cash","customer_id":"c1","metadata":{"tags":["ok","\u0000"]},"points":[{"lat":1,"lng":1,"type":"pickup"},{"lat":2,"lng":2,"type":"dropoff"}]}""")]
    [InlineData("customer_id", """{"service_id":"taxi","payment_method":"cash","customer_id":"\u0000","points":[{"lat":1,"lng":1,"type":"pickup"},{"lat":2,"lng":2,"type":"dropoff"}]}""")]
    [InlineData("promotion_code", """{"service_id":"taxi","payment_method":"cash","customer_id":"c1","promotion_code":"P\u0000","points":[{"lat":1,"lng":1,"type":"pickup"},{"lat":2,"lng":2,"type":"dropoff"}]}""")]
    [InlineData("service_id", """{"service_id":"ta\u0000xi","payment_method":"cash","customer_id":"c1","points":[{"lat":1,"lng":1,"type":"pickup"},{"lat":2,"lng":2,"type":"dropoff"}]}""")]
    [InlineData("payment_config.token", """{"service_id":"taxi","payment_method":"card","customer_id":"c1","payment_config":{"token":"t\u0000"},"points":[{"lat":1,"lng":1,"type":"pickup"},{"lat":2,"lng":2,"type":"dropoff"}]}""")]
    public async Task A_string_postgresql_cannot_store_is_a_400_naming_its_field(string field, string json)
    {
        var (status, body) = await PostAsync(api.ClientFor($"rider-{Guid.NewGuid():N}", "admin_portal"), Encoding.UTF8.GetBytes(json));

        Assert.True(status == HttpStatusCode.BadRequest, $"{(int)status}: {body}");
        Assert.Equal(ErrorCodes.ValidationFailed, JsonDocument.Parse(body).RootElement.GetProperty("code").GetString());
        Assert.Contains(field, ErrorsOf(body).Split(", "));
    }

    [Fact]
    public async Task A_caller_header_postgresql_cannot_store_is_a_400_naming_the_header()
    {
        var client = api.Factory.CreateClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation("X-User-Id", "rider\ud800");
        client.DefaultRequestHeaders.Add("X-User-Audience", "user_app");
        client.DefaultRequestHeaders.Add(TestGateway.Header, TestGateway.Secret);
        var json = """{"service_id":"taxi","payment_method":"cash","points":[{"lat":1,"lng":1,"type":"pickup"},{"lat":2,"lng":2,"type":"dropoff"}]}""";

        var (status, body) = await PostAsync(client, Encoding.UTF8.GetBytes(json));

        Assert.True(status == HttpStatusCode.BadRequest, $"{(int)status}: {body}");
        Assert.Contains("X-User-Id", ErrorsOf(body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_idempotency_key_postgresql_cannot_store_is_a_400_naming_the_header()
    {
        var json = """{"service_id":"taxi","payment_method":"cash","points":[{"lat":1,"lng":1,"type":"pickup"},{"lat":2,"lng":2,"type":"dropoff"}]}""";

        var (status, body) = await PostAsync(api.ClientFor($"rider-{Guid.NewGuid():N}"), Encoding.UTF8.GetBytes(json), idempotencyKey: "key\ud800");

        Assert.True(status == HttpStatusCode.BadRequest, $"{(int)status}: {body}");
        Assert.Contains("Idempotency-Key", ErrorsOf(body), StringComparison.Ordinal);
    }

    /// <summary>Seeded, so a failure replays; GO1_FUZZ_SEED tries other bodies.</summary>
    [Fact]
    public async Task Two_thousand_generated_hostile_bodies_never_get_a_5xx_and_every_4xx_has_a_stable_code()
    {
        var random = new Random(int.Parse(Environment.GetEnvironmentVariable("GO1_FUZZ_SEED") ?? "20261201", CultureInfo.InvariantCulture));
        var client = api.ClientFor($"fuzz-{Guid.NewGuid():N}", "admin_portal");
        var statuses = new Dictionary<int, int>();
        for (var i = 0; i < 2000; i++)
        {
            var body = HostileBody(random);
            var (status, response) = await PostAsync(client, body, random.Next(10) == 0 ? Text(random, 40) : null);
            statuses[(int)status] = statuses.GetValueOrDefault((int)status) + 1;
            var sample = Encoding.UTF8.GetString(body[..Math.Min(body.Length, 300)]);
            Assert.True((int)status < 500, $"body #{i} got {(int)status}: {response}\n{sample}");
            if ((int)status >= 400)
            {
                var code = JsonDocument.Parse(response).RootElement.GetProperty("code").GetString();
                Assert.True(code is not null && StableCodes.Contains(code), $"body #{i} got {(int)status} with code {code}: {response}\n{sample}");
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine(string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}")));
        Assert.True(statuses.GetValueOrDefault(201) > 50, "the generator should also produce valid orders, or it tests only the parser");
    }

    /// <summary>
    /// An order body where any field may be of any type, hostile strings, deep nesting, huge numbers or long arrays; some
    /// bytes made invalid UTF-8. One in three is a valid order with at most one field made hostile, so the checks behind
    /// the parser are reached too.
    /// </summary>
    private static byte[] HostileBody(Random random)
    {
        var nearlyValid = random.Next(3) == 0;
        var spoiled = nearlyValid && random.Next(2) == 0 ? random.Next(11) : -1;
        var index = 0;
        var fields = new List<string>();
        void Field(string name, Func<string> valid)
        {
            var hostile = index++ == spoiled;
            if (nearlyValid && !hostile)
            {
                fields.Add($"\"{name}\":{NearlyValid(name)}");
                return;
            }

            switch (hostile ? 1 : random.Next(10))
            {
                case 0:
                    return; // missing
                case 1 or 2:
                    fields.Add($"\"{name}\":{AnyValue(random, depth: 0)}");
                    return;
                default:
                    fields.Add($"\"{name}\":{valid()}");
                    return;
            }
        }

        string Point(string type) =>
            $$"""{"lat":{{Coordinate(random, 90)}},"lng":{{Coordinate(random, 180)}},"type":{{(random.Next(8) == 0 ? AnyValue(random, 0) : $"\"{type}\"")}},"address":{{Str(random)}},"phone":{{Str(random)}}}""";

        string NearlyValid(string name) => name switch
        {
            "service_id" => random.Next(2) == 0 ? "1" : "\"taxi\"",
            "service_type" => "\"RIDE-TAXI\"",
            "payment_method" => random.Next(2) == 0 ? "\"cash\"" : "\"card\"",
            "customer_id" => "\"cust_123\"",
            "driver_id" => "\"driver_123\"",
            "points" => """[{"lat":10.7769,"lng":106.7009,"type":"pickup","address":"SGN","phone":"0909"},{"lat":10.8231,"lng":106.6297,"type":"dropoff"}]""",
            "metadata" => """{"source":"fuzz"}""",
            "payment_config" => """{"card_token":"tok"}""",
            "is_schedule" => "false",
            _ => "null",
        };

        Field("service_id", () => random.Next(3) switch { 0 => "1", 1 => "\"taxi\"", _ => Str(random) });
        Field("service_type", () => random.Next(2) == 0 ? "\"RIDE-TAXI\"" : Str(random));
        Field("payment_method", () => random.Next(3) switch { 0 => "\"cash\"", 1 => "\"card\"", _ => Str(random) });
        Field("customer_id", () => Str(random));
        Field("driver_id", () => Str(random));
        Field("promotion_code", () => Str(random));
        Field("metadata", () => $"{{\"k\":{AnyValue(random, 0)}}}");
        Field("payment_config", () => $"{{{Str(random)}:{Str(random)}}}");
        Field("order_time", () => Str(random));
        Field("is_schedule", () => random.Next(2) == 0 ? "false" : AnyValue(random, 0));
        Field("points", () => random.Next(6) == 0
            ? $"[{string.Join(",", Enumerable.Range(0, random.Next(13, 400)).Select(_ => Point("stop")))}]"
            : $"[{Point("pickup")},{Point("dropoff")}]");
        var json = Encoding.UTF8.GetBytes("{" + string.Join(",", fields.OrderBy(_ => random.Next())) + "}");
        if (random.Next(15) == 0 && json.Length > 4)
        {
            json[random.Next(1, json.Length - 1)] = (byte)random.Next(0x80, 0x100); // not UTF-8 any more
        }

        return json;
    }

    private static string Coordinate(Random random, int range) => random.Next(12) switch
    {
        0 => "1e400",
        1 => "-1e308",
        2 => "\"10.7\"",
        3 => "null",
        4 => (random.NextDouble() * 1000).ToString("R", CultureInfo.InvariantCulture),
        _ => ((random.NextDouble() * 2 - 1) * range).ToString("R", CultureInfo.InvariantCulture),
    };

    private static string AnyValue(Random random, int depth) => random.Next(depth > 0 ? 8 : 9) switch
    {
        0 => Str(random),
        1 => random.Next(2) == 0 ? "true" : "false",
        2 => "null",
        3 => random.Next(3) switch { 0 => "1e999", 1 => "123456789012345678901234567890", _ => "-0.0000001" },
        4 => "[" + string.Join(",", Enumerable.Range(0, random.Next(0, 50)).Select(_ => Str(random))) + "]",
        5 => $"{{\"a\":{(depth < 200 ? AnyValue(random, depth + 1) : "1")}}}",
        6 => string.Concat(Enumerable.Repeat("[", 70)) + string.Concat(Enumerable.Repeat("]", 70)),
        7 => random.Next(-1000, 1000).ToString(CultureInfo.InvariantCulture),
        _ => $"{{\"deep\":{AnyValue(random, depth + 1)}}}",
    };

    /// <summary>A JSON string literal: plain, long, with U+0000, a lone surrogate, control characters or other scripts.</summary>
    private static string Str(Random random) => random.Next(10) switch
    {
        0 => "\"\\u0000\"",
        1 => $"\"a\\ud83d{Text(random, 3)}\"",
        2 => "\"\\udc00\"",
        3 => $"\"{new string('x', random.Next(100, 600))}\"",
        4 => "\"Bến Thành 🚕 \\t\\n\"",
        5 => "\"\"",
        _ => $"\"{Text(random, 12)}\"",
    };

    private static string Text(Random random, int length) =>
        new([.. Enumerable.Range(0, random.Next(1, length)).Select(_ => (char)random.Next('a', 'z' + 1))]);
}
