namespace Go1.AppHost.Telemetry;

/// <summary>Jaeger, Prometheus and Grafana, wired to the services and to each other.</summary>
public static class ObservabilityExtensions
{
    public const string JaegerImage = "jaegertracing/jaeger";
    public const string JaegerTag = "2.10.0";
    public const string PrometheusImage = "prom/prometheus";
    public const string PrometheusTag = "v3.5.0";
    public const string GrafanaImage = "grafana/grafana";
    public const string GrafanaTag = "12.1.1";

    /// <summary>Configuration key the services read to send traces to Jaeger as well as to the dashboard.</summary>
    public const string JaegerEndpointVariable = "Telemetry__JaegerOtlpEndpoint";

    public static IResourceBuilder<ContainerResource> AddJaeger(this IDistributedApplicationBuilder builder, string name) =>
        builder.AddContainer(name, JaegerImage, JaegerTag)
            .WithHttpEndpoint(port: 16686, targetPort: 16686, name: "http")
            .WithEndpoint(targetPort: 4317, name: "otlp-grpc", scheme: "http")
            .WithHttpHealthCheck("/", endpointName: "http");

    /// <summary>Sends the project's traces to Jaeger too (the dashboard keeps getting them through OTLP).</summary>
    public static IResourceBuilder<ProjectResource> WithJaegerTracing(this IResourceBuilder<ProjectResource> project, IResourceBuilder<ContainerResource> jaeger) =>
        project.WithEnvironment(JaegerEndpointVariable, jaeger.GetEndpoint("otlp-grpc"))
            .WithReferenceRelationship(jaeger);

    /// <summary>
    /// Prometheus scraping each project's <c>/metrics</c>. The scrape targets are resolved by Aspire at
    /// start and written to a file_sd file that <c>prometheus/prometheus.yml</c> reads.
    /// </summary>
    public static IResourceBuilder<ContainerResource> AddPrometheus(this IDistributedApplicationBuilder builder, string name, params IResourceBuilder<ProjectResource>[] scraped)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configDirectory = Path.Combine(builder.AppHostDirectory, "prometheus");
        var prometheus = builder.AddContainer(name, PrometheusImage, PrometheusTag)
            .WithBindMount(configDirectory, "/etc/prometheus/go1", isReadOnly: true)
            .WithEntrypoint("/bin/sh")
            .WithArgs("/etc/prometheus/go1/entrypoint.sh")
            .WithHttpEndpoint(port: 9090, targetPort: 9090, name: "http")
            .WithHttpHealthCheck("/-/ready", endpointName: "http")
            .WithContainerRuntimeArgs("--add-host=host.docker.internal:host-gateway");

        var targets = new List<string>();
        foreach (var project in scraped)
        {
            var variable = $"GO1_SCRAPE_{project.Resource.Name.ToUpperInvariant()}";
            targets.Add(project.Resource.Name);
            prometheus.WithEnvironment(variable, project.GetEndpoint("http").Property(EndpointProperty.HostAndPort))
                .WithReferenceRelationship(project);
        }

        return prometheus.WithEnvironment("GO1_SCRAPE_SERVICES", string.Join(' ', targets));
    }

    /// <summary>Grafana with a provisioned Prometheus data source and the Go1 dashboard.</summary>
    public static IResourceBuilder<ContainerResource> AddGrafana(this IDistributedApplicationBuilder builder, string name, IResourceBuilder<ContainerResource> prometheus)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(prometheus);
        return builder.AddContainer(name, GrafanaImage, GrafanaTag)
            .WithBindMount(Path.Combine(builder.AppHostDirectory, "grafana", "provisioning"), "/etc/grafana/provisioning", isReadOnly: true)
            .WithBindMount(Path.Combine(builder.AppHostDirectory, "grafana", "dashboards"), "/var/lib/grafana/dashboards", isReadOnly: true)
            .WithEnvironment("PROMETHEUS_URL", prometheus.GetEndpoint("http"))
            // Local development only: anonymous viewers, no login screen.
            .WithEnvironment("GF_AUTH_ANONYMOUS_ENABLED", "true")
            .WithEnvironment("GF_AUTH_ANONYMOUS_ORG_ROLE", "Viewer")
            .WithHttpEndpoint(port: 3000, targetPort: 3000, name: "http")
            .WithHttpHealthCheck("/api/health", endpointName: "http")
            .WaitFor(prometheus);
    }
}
