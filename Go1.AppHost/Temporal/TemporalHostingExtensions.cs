namespace Go1.AppHost.Temporal;

public static class TemporalHostingExtensions
{
    public const string Image = "temporalio/temporal";
    public const string Tag = "1.4.1";
    public const string Namespace = "default";
    public const string DataPath = "/data";

    /// <summary>
    /// The Temporal CLI's dev server: gRPC frontend on 7233, Web UI on 8233, metrics on 9233. Its SQLite file lives in a
    /// volume unless <paramref name="persistent"/> is false, so workflows survive a restart as the orders in PostgreSQL's
    /// volume do (runs as root then: a new volume is root's, and the image's own user could not write to it).
    /// </summary>
    public static IResourceBuilder<TemporalServerResource> AddTemporalDevServer(this IDistributedApplicationBuilder builder, string name, bool persistent = true)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var temporal = builder.AddResource(new TemporalServerResource(name))
            .WithImage(Image, Tag)
            .WithImageRegistry("docker.io")
            .WithArgs("server", "start-dev", "--ip", "0.0.0.0", "--namespace", Namespace, "--ui-port", "8233", "--metrics-port", "9233")
            .WithEndpoint(port: 7233, targetPort: 7233, name: TemporalServerResource.GrpcEndpointName, scheme: "tcp")
            .WithHttpEndpoint(port: 8233, targetPort: 8233, name: TemporalServerResource.UiEndpointName)
            .WithHttpEndpoint(targetPort: 9233, name: "metrics")
            // The UI answers only once the frontend it fronts is serving.
            .WithHttpHealthCheck("/", endpointName: TemporalServerResource.UiEndpointName);
        return persistent
            ? temporal.WithArgs("--db-filename", $"{DataPath}/temporal.db").WithVolume("go1-temporal-data", DataPath).WithContainerRuntimeArgs("--user", "0:0")
            : temporal;
    }
}
