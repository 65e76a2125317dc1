using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;

namespace Go1.OrderApi.Auth;

/// <summary>Every request is the configured development caller. The app refuses to start with it outside Development.</summary>
public sealed class BypassHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptions<AuthOptions> auth)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bypass";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var caller = auth.Value.Bypass;
        var identity = CallerClaims.Identity(SchemeName, caller.UserId, caller.Audience, caller.Platform, caller.PartnerId);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}
