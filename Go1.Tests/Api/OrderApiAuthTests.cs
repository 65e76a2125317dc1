using System.Net.Http.Headers;
using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Go1.Tests.Api;

/// <summary>The three auth modes, CORS and the development-only API reference.</summary>
public sealed class OrderApiAuthTests(OrderApiFixture api) : IClassFixture<OrderApiFixture>
{
    private const string SigningKey = "go1-test-signing-key-of-at-least-32-bytes!";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ServiceFactory<OrderApiService> Factory(string environment, params (string Key, string? Value)[] overrides)
    {
        var settings = api.Settings(api.ConnectionString);
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        return new ServiceFactory<OrderApiService>(settings, environment);
    }

    private static string Token(string userId, string audience, DateTime expires, string key = SigningKey) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity([new Claim("sub", userId), new Claim("user_audience", audience), new Claim("platform", "web")]),
            Issuer = "https://issuer.go1.test",
            Audience = "go1-api",
            NotBefore = expires.AddHours(-2),
            IssuedAt = expires.AddHours(-2),
            Expires = expires,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256),
        });

    [Fact]
    public async Task Jwt_mode_accepts_a_valid_token_and_maps_its_claims_to_the_caller()
    {
        await using var factory = Factory("Testing", ("Auth:Mode", "Jwt"), ("Auth:Jwt:SigningKey", SigningKey),
            ("Auth:Jwt:Issuer", "https://issuer.go1.test"), ("Auth:Jwt:Audience", "go1-api"));
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token("jwt-user", "user_app", DateTime.UtcNow.AddHours(1)));

        var order = await OrderApiFixture.ReadOrderAsync(await client.PostAsJsonAsync("/orders", OrderApiFixture.ValidOrder(), Ct));

        Assert.Equal("jwt-user", order.CreatedBy);
        Assert.Equal("jwt-user", order.Customer!.Id);
        Assert.Equal("web", order.Platform);
    }

    [Theory]
    [InlineData("expired")]
    [InlineData("wrong-key")]
    [InlineData("garbage")]
    public async Task Jwt_mode_rejects_bad_tokens_with_401(string kind)
    {
        await using var factory = Factory("Testing", ("Auth:Mode", "Jwt"), ("Auth:Jwt:SigningKey", SigningKey),
            ("Auth:Jwt:Issuer", "https://issuer.go1.test"), ("Auth:Jwt:Audience", "go1-api"));
        var token = kind switch
        {
            "expired" => Token("u", "user_app", DateTime.UtcNow.AddHours(-1)),
            "wrong-key" => Token("u", "user_app", DateTime.UtcNow.AddHours(1), "another-signing-key-of-at-least-32-bytes"),
            _ => "not.a.jwt",
        };
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        await ProblemAssert.IsProblemAsync(await client.PostAsJsonAsync("/orders", OrderApiFixture.ValidOrder(), Ct), HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }

    [Fact]
    public async Task Jwt_mode_without_authority_or_key_refuses_to_start()
    {
        await using var factory = Factory("Production", ("Auth:Mode", "Jwt"));
        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        Assert.Contains("Auth:Jwt:Authority or Auth:Jwt:SigningKey", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("https://issuer.go1.test", null)]
    [InlineData(null, "go1-api")]
    public async Task Jwt_mode_outside_development_without_issuer_and_audience_refuses_to_start(string? issuer, string? audience)
    {
        // Without both, any token signed with the key (or by the authority, for another app) would be accepted.
        await using var factory = Factory("Production", ("Auth:Mode", "Jwt"), ("Auth:Jwt:SigningKey", SigningKey),
            ("Auth:Jwt:Issuer", issuer), ("Auth:Jwt:Audience", audience));

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("Auth:Jwt:Issuer and Auth:Jwt:Audience", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gateway_headers_outside_development_without_a_shared_secret_refuse_to_start()
    {
        await using var factory = Factory("Production", ("Auth:Mode", "GatewayHeaders"), ("Auth:Gateway:SharedSecret", null));

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("Auth:Gateway:SharedSecret", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("guessed")]
    [InlineData("the-gateway-secret-but-longer")]
    public async Task Identity_headers_that_did_not_come_through_the_gateway_are_401(string? secret)
    {
        // Anyone who can reach the API could otherwise claim admin_portal and read every order.
        await using var factory = Factory("Production", ("Auth:Mode", "GatewayHeaders"), ("Auth:Gateway:SharedSecret", "the-gateway-secret"));
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-User-Id", "mallory");
        client.DefaultRequestHeaders.Add("X-User-Audience", "admin_portal");
        if (secret is not null)
        {
            client.DefaultRequestHeaders.Add("X-Gateway-Secret", secret);
        }

        await ProblemAssert.IsProblemAsync(await client.GetAsync($"/orders/{Guid.CreateVersion7()}", Ct), HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }

    [Fact]
    public async Task Identity_headers_with_the_gateway_secret_are_trusted()
    {
        await using var factory = Factory("Production", ("Auth:Mode", "GatewayHeaders"), ("Auth:Gateway:SharedSecret", "the-gateway-secret"));
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-User-Id", "rider-7");
        client.DefaultRequestHeaders.Add("X-User-Audience", "user_app");
        client.DefaultRequestHeaders.Add("X-Gateway-Secret", "the-gateway-secret");

        var order = await OrderApiFixture.ReadOrderAsync(await client.PostAsJsonAsync("/orders", OrderApiFixture.ValidOrder(), Ct));

        Assert.Equal("rider-7", order.CreatedBy);
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public async Task Bypass_mode_refuses_to_start_outside_development(string environment)
    {
        await using var factory = Factory(environment, ("Auth:Mode", "Bypass"));
        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        Assert.Contains("Bypass is only allowed in Development", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bypass_mode_in_development_calls_as_the_configured_admin()
    {
        await using var factory = Factory("Development", ("Auth:Mode", "Bypass"));
        var body = new { service_id = "taxi", payment_method = "cash", customer_id = "walk-in", points = new[] { new { lat = 1.0, lng = 1.0, type = "pickup" }, new { lat = 2.0, lng = 2.0, type = "dropoff" } } };

        var order = await OrderApiFixture.ReadOrderAsync(await factory.CreateClient().PostAsJsonAsync("/orders", body, Ct));

        Assert.Equal(("dev-admin", "admin_portal"), (order.CreatedBy, order.CreatorRole));
    }

    [Fact]
    public async Task Cors_allows_only_configured_origins()
    {
        await using var factory = Factory("Testing", ("Cors:AllowedOrigins:0", "https://app.go1.test"));
        var client = factory.CreateClient();

        async Task<string?> PreflightAsync(string origin)
        {
            using var request = new HttpRequestMessage(HttpMethod.Options, "/orders");
            request.Headers.Add("Origin", origin);
            request.Headers.Add("Access-Control-Request-Method", "POST");
            var response = await client.SendAsync(request, Ct);
            return response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) ? values.Single() : null;
        }

        Assert.Equal("https://app.go1.test", await PreflightAsync("https://app.go1.test"));
        Assert.Null(await PreflightAsync("https://evil.example"));
    }

    [Fact]
    public async Task Openapi_document_and_api_reference_are_served_in_development_only()
    {
        await using var development = Factory("Development", ("Auth:Mode", "Bypass"));
        var document = await development.CreateClient().GetStringAsync("/openapi/v1.json", Ct);
        Assert.Contains("\"/orders\"", document, StringComparison.Ordinal);
        Assert.Contains("\"/orders/{id}\"", document, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await development.CreateClient().GetAsync("/scalar", Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await api.Factory.CreateClient().GetAsync("/openapi/v1.json", Ct)).StatusCode);
    }
}
