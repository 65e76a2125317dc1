namespace Go1.AppHost.Kafka;

/// <summary>
/// A single-node KRaft Kafka broker in a container. Host processes use the primary listener
/// (<see cref="PrimaryEndpoint"/>); other containers use <see cref="InternalEndpoint"/>.
/// </summary>
public sealed class KafkaServerResource(string name) : ContainerResource(name), IResourceWithConnectionString
{
    internal const string PrimaryEndpointName = "tcp";
    internal const string InternalEndpointName = "internal";
    internal const int PrimaryTargetPort = 9092;
    internal const int InternalTargetPort = 9093;

    private EndpointReference? _primaryEndpoint;
    private EndpointReference? _internalEndpoint;

    public EndpointReference PrimaryEndpoint => _primaryEndpoint ??= new(this, PrimaryEndpointName);

    public EndpointReference InternalEndpoint => _internalEndpoint ??= new(this, InternalEndpointName);

    /// <summary>Bootstrap servers as Confluent clients want them: <c>host:port</c>.</summary>
    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{PrimaryEndpoint.Property(EndpointProperty.HostAndPort)}");
}
