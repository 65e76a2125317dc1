namespace Go1.AppHost.Temporal;

/// <summary>The Temporal dev server (<c>temporal server start-dev</c>); its connection string is the frontend's <c>host:port</c>.</summary>
public sealed class TemporalServerResource(string name) : ContainerResource(name), IResourceWithConnectionString
{
    internal const string GrpcEndpointName = "grpc";
    internal const string UiEndpointName = "ui";

    private EndpointReference? _grpcEndpoint;

    public EndpointReference GrpcEndpoint => _grpcEndpoint ??= new(this, GrpcEndpointName);

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{GrpcEndpoint.Property(EndpointProperty.HostAndPort)}");
}
