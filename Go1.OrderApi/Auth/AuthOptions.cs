namespace Go1.OrderApi.Auth;

/// <summary>The <c>Auth</c> configuration section.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    public AuthMode Mode { get; set; } = AuthMode.Jwt;

    public JwtSettings Jwt { get; set; } = new();

    public GatewaySettings Gateway { get; set; } = new();

    public BypassSettings Bypass { get; set; } = new();

    public sealed class JwtSettings
    {
        /// <summary>OpenID Connect authority whose keys sign the tokens (production).</summary>
        public string? Authority { get; set; }

        /// <summary>Symmetric key (at least 32 bytes of UTF-8) for environments without an authority.</summary>
        public string? SigningKey { get; set; }

        public string? Issuer { get; set; }

        public string? Audience { get; set; }

        public bool RequireHttpsMetadata { get; set; } = true;
    }

    public sealed class GatewaySettings
    {
        /// <summary>
        /// What the gateway sends in <c>X-Gateway-Secret</c> with every request, proof that the identity headers came
        /// through it. Required outside Development; configure it from a secret store, never in the repository.
        /// </summary>
        public string? SharedSecret { get; set; }
    }

    public sealed class BypassSettings
    {
        public string UserId { get; set; } = "dev-admin";

        public string Audience { get; set; } = "admin_portal";

        public string? Platform { get; set; } = "dev";

        public string? PartnerId { get; set; }
    }
}
