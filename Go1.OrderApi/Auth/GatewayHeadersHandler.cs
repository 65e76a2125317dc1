using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;

namespace Go1.OrderApi.Auth;

/// <summary>
/// Trusts identity headers set by a gateway that has already authenticated the caller, when the request proves it
/// came through that gateway: <c>X-Gateway-Secret</c> equal to <c>Auth:Gateway:SharedSecret</c> (compared in constant
/// time). Without a configured secret (Development only) the headers are trusted as they come.
/// </summary>
public sealed class GatewayHeadersHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IOptions<AuthOptions> auth)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SecretHeader = "X-Gateway-Secret";
    public const string SchemeName = "GatewayHeaders";
    public const string UserIdHeader = "X-User-Id";
    public const string AudienceHeader = "X-User-Audience";
    public const string PlatformHeader = "X-User-Platform";
    public const string PartnerIdHeader = "X-Partner-Id";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (auth.Value.Gateway.SharedSecret is { Length: > 0 } secret
            && !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(Request.Headers[SecretHeader].ToString()), Encoding.UTF8.GetBytes(secret)))
        {
            return Task.FromResult(AuthenticateResult.Fail($"The request did not come through the gateway ({SecretHeader} missing or wrong)."));
        }

        var userId = Request.Headers[UserIdHeader].ToString();
        var audience = Request.Headers[AudienceHeader].ToString();
        if (string.IsNullOrWhiteSpace(userId) || string.IsNullOrWhiteSpace(audience))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var identity = CallerClaims.Identity(SchemeName, userId.Trim(), audience.Trim(),
            Request.Headers[PlatformHeader].ToString(), Request.Headers[PartnerIdHeader].ToString());
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}
