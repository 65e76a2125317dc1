using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Go1.OrderApi.Auth;

/// <summary>
/// Trusts identity headers set by a gateway that has already authenticated the caller. Only safe when
/// the API is reachable exclusively through that gateway, which strips these headers from clients.
/// </summary>
public sealed class GatewayHeadersHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "GatewayHeaders";
    public const string UserIdHeader = "X-User-Id";
    public const string AudienceHeader = "X-User-Audience";
    public const string PlatformHeader = "X-User-Platform";
    public const string PartnerIdHeader = "X-Partner-Id";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
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
