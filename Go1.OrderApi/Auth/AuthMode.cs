namespace Go1.OrderApi.Auth;

public enum AuthMode
{
    /// <summary>Bearer tokens validated against an authority or a signing key.</summary>
    Jwt,

    /// <summary>Identity headers set by a trusted gateway in front of the API.</summary>
    GatewayHeaders,

    /// <summary>A fixed development caller. Refused at startup outside Development.</summary>
    Bypass,
}
