using System.Security.Claims;
using Go1.OrderApi.Http;

namespace Go1.OrderApi.Auth;

/// <summary>The claims every auth mode produces, and the <see cref="Caller"/> they describe.</summary>
public static class CallerClaims
{
    public const string UserId = "sub";
    public const string Audience = "user_audience";
    public const string Platform = "platform";
    public const string PartnerId = "partner_id";

    public static ClaimsIdentity Identity(string scheme, string userId, string audience, string? platform, string? partnerId)
    {
        var claims = new List<Claim> { new(UserId, userId), new(Audience, audience) };
        if (!string.IsNullOrWhiteSpace(platform))
        {
            claims.Add(new Claim(Platform, platform));
        }

        if (!string.IsNullOrWhiteSpace(partnerId))
        {
            claims.Add(new Claim(PartnerId, partnerId));
        }

        return new ClaimsIdentity(claims, scheme, UserId, Audience);
    }

    /// <summary>The authenticated caller; 403 when the identity names no user or an unknown audience.</summary>
    public static Caller ToCaller(this ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var userId = principal.FindFirstValue(UserId);
        var audienceText = principal.FindFirstValue(Audience);
        if (string.IsNullOrWhiteSpace(userId) || userId.Length > OrderLimits.IdLength)
        {
            throw new RequestRejectedException(StatusCodes.Status403Forbidden, HttpErrorCodes.Forbidden, "The identity carries no usable user id.");
        }

        if (!WireNames.TryParse<Go1.Orders.Domain.Audience>(audienceText, out var audience))
        {
            throw new RequestRejectedException(StatusCodes.Status403Forbidden, HttpErrorCodes.Forbidden,
                $"Audience '{audienceText}' may not use this API; expected one of {string.Join(", ", WireNames.All<Go1.Orders.Domain.Audience>())}.");
        }

        var platform = principal.FindFirstValue(Platform);
        var partnerId = principal.FindFirstValue(PartnerId);
        var unstorable = new[] { (GatewayHeadersHandler.UserIdHeader, (string?)userId), (GatewayHeadersHandler.PlatformHeader, platform), (GatewayHeadersHandler.PartnerIdHeader, partnerId) }
            .Where(f => f.Item2 is not null && !OrderLimits.IsStorable(f.Item2))
            .ToDictionary(f => f.Item1, _ => new[] { OrderLimits.NotStorable });
        return unstorable.Count > 0 ? throw new OrderValidationException(unstorable) : new Caller(userId, audience, platform, partnerId);
    }
}
