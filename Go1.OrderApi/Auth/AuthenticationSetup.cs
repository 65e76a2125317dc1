using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace Go1.OrderApi.Auth;

public static class AuthenticationSetup
{
    /// <summary>Registers the one scheme <c>Auth:Mode</c> selects; misconfiguration stops the app at startup with the reason.</summary>
    public static IHostApplicationBuilder AddGo1Authentication(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var section = builder.Configuration.GetSection(AuthOptions.SectionName);
        var options = section.Get<AuthOptions>() ?? new AuthOptions();
        builder.Services.Configure<AuthOptions>(section);

        var authentication = builder.Services.AddAuthentication(options.Mode switch
        {
            AuthMode.Jwt => JwtBearerDefaults.AuthenticationScheme,
            AuthMode.GatewayHeaders => GatewayHeadersHandler.SchemeName,
            _ => BypassHandler.SchemeName,
        });

        switch (options.Mode)
        {
            case AuthMode.Jwt:
                Validate(options.Jwt, builder.Environment);
                authentication.AddJwtBearer(jwt => ConfigureJwt(jwt, options.Jwt));
                break;
            case AuthMode.GatewayHeaders:
                if (string.IsNullOrEmpty(options.Gateway.SharedSecret) && !builder.Environment.IsDevelopment())
                {
                    throw new InvalidOperationException(
                        $"Auth:Mode=GatewayHeaders needs Auth:Gateway:SharedSecret outside Development (this is {builder.Environment.EnvironmentName}): " +
                        "without it anyone who can reach the API may claim any user and audience. Set it from a secret store, and have the gateway send it as X-Gateway-Secret.");
                }

                authentication.AddScheme<AuthenticationSchemeOptions, GatewayHeadersHandler>(GatewayHeadersHandler.SchemeName, null);
                break;
            case AuthMode.Bypass when builder.Environment.IsDevelopment():
                authentication.AddScheme<AuthenticationSchemeOptions, BypassHandler>(BypassHandler.SchemeName, null);
                break;
            case AuthMode.Bypass:
                throw new InvalidOperationException(
                    $"Auth:Mode=Bypass is only allowed in Development, and this is {builder.Environment.EnvironmentName}. Use Jwt or GatewayHeaders.");
            default:
                throw new InvalidOperationException($"Auth:Mode '{options.Mode}' is not supported.");
        }

        builder.Services.AddAuthorization();
        return builder;
    }

    /// <summary>Checked while the app is built, so a misconfigured deployment never starts serving.</summary>
    private static void Validate(AuthOptions.JwtSettings settings, IHostEnvironment environment)
    {
        if (string.IsNullOrWhiteSpace(settings.Authority) && string.IsNullOrWhiteSpace(settings.SigningKey))
        {
            throw new InvalidOperationException("Auth:Mode=Jwt needs Auth:Jwt:Authority or Auth:Jwt:SigningKey.");
        }

        if (!string.IsNullOrWhiteSpace(settings.SigningKey) && Encoding.UTF8.GetByteCount(settings.SigningKey) < 32)
        {
            throw new InvalidOperationException("Auth:Jwt:SigningKey must be at least 32 bytes.");
        }

        // With an authority the issuer comes from its metadata; a bare signing key says nothing about who issued a token.
        var issuerKnown = !string.IsNullOrWhiteSpace(settings.Issuer) || !string.IsNullOrWhiteSpace(settings.Authority);
        if (!environment.IsDevelopment() && (!issuerKnown || string.IsNullOrWhiteSpace(settings.Audience)))
        {
            throw new InvalidOperationException(
                $"Auth:Mode=Jwt needs Auth:Jwt:Issuer and Auth:Jwt:Audience outside Development (this is {environment.EnvironmentName}; with " +
                "Auth:Jwt:Authority the issuer may come from its metadata): otherwise any token the key signs, or the authority issues for another application, is accepted.");
        }
    }

    private static void ConfigureJwt(JwtBearerOptions jwt, AuthOptions.JwtSettings settings)
    {
        var hasAuthority = !string.IsNullOrWhiteSpace(settings.Authority);
        var hasKey = !string.IsNullOrWhiteSpace(settings.SigningKey);
        jwt.MapInboundClaims = false; // keep "sub", "user_audience", ... as issued
        jwt.Authority = hasAuthority ? settings.Authority : null;
        jwt.RequireHttpsMetadata = settings.RequireHttpsMetadata;
        jwt.TokenValidationParameters = new TokenValidationParameters
        {
            // With an authority and no issuer configured, the handler takes the issuer from the authority's metadata.
            ValidateIssuer = !string.IsNullOrWhiteSpace(settings.Issuer) || hasAuthority,
            ValidIssuer = settings.Issuer,
            ValidateAudience = !string.IsNullOrWhiteSpace(settings.Audience),
            ValidAudience = settings.Audience,
            ValidateLifetime = true,
            ClockSkew = TimeSpan.FromSeconds(30),
            IssuerSigningKey = hasKey ? new SymmetricSecurityKey(Encoding.UTF8.GetBytes(settings.SigningKey!)) : null,
            NameClaimType = CallerClaims.UserId,
        };
    }
}
