namespace Go1.Temporal;

/// <summary>
/// Settings of the Temporal client, bound from <c>Aspire:Temporal:Client</c> and
/// <c>ConnectionStrings:{name}</c> (the frontend's gRPC <c>host:port</c>).
/// </summary>
public sealed class TemporalClientSettings
{
    public const string SectionName = "Aspire:Temporal:Client";

    /// <summary>Frontend gRPC address, <c>host:port</c> (a <c>http://</c> or <c>tcp://</c> prefix is accepted).</summary>
    public string? ConnectionString { get; set; }

    public string Namespace { get; set; } = "default";

    public bool DisableHealthChecks { get; set; }

    /// <summary>The address without a scheme, as the Temporal SDK wants it.</summary>
    public string? TargetHost =>
        ConnectionString is null ? null
        : Uri.TryCreate(ConnectionString, UriKind.Absolute, out var uri) && uri.Host.Length > 0 ? $"{uri.Host}:{uri.Port}"
        : ConnectionString;
}
