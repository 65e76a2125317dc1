using Aspire.Hosting.ApplicationModel;
using Go1.AppHost;

namespace Go1.Tests.AppHost;

/// <summary>The AppHost declares every resource of the README's diagram and wires each service to exactly what it uses.</summary>
public sealed class AppHostModelTests(AppHostModelFixture app) : IClassFixture<AppHostModelFixture>
{
    [Theory]
    [InlineData(ResourceNames.Postgres, "library/postgres", "17.6")]
    [InlineData(ResourceNames.Kafka, "confluentinc/confluent-local", "8.1.1")]
    [InlineData(ResourceNames.KafkaUi, "kafbat/kafka-ui", "v1.4.2")]
    [InlineData(ResourceNames.Debezium, "quay.io/debezium/connect", "3.5.2.Final")]
    [InlineData(ResourceNames.Temporal, "temporalio/temporal", "1.4.1")]
    [InlineData(ResourceNames.Jaeger, "jaegertracing/jaeger", "2.10.0")]
    [InlineData(ResourceNames.Prometheus, "prom/prometheus", "v3.5.0")]
    [InlineData(ResourceNames.Grafana, "grafana/grafana", "12.1.1")]
    public void Container_resource_runs_its_pinned_image(string name, string image, string tag)
    {
        var annotation = Assert.Single(app.Resource(name).Annotations.OfType<ContainerImageAnnotation>());
        Assert.Equal(image, annotation.Image);
        Assert.Equal(tag, annotation.Tag);
    }

    [Fact]
    public void Every_container_image_has_an_explicit_tag_other_than_latest()
    {
        var images = app.Model.Resources.SelectMany(r => r.Annotations.OfType<ContainerImageAnnotation>().Select(a => (r.Name, a))).ToList();
        Assert.Contains(images, i => i.Name == ResourceNames.Redis);
        Assert.All(images, i =>
        {
            Assert.False(string.IsNullOrWhiteSpace(i.a.Tag), $"{i.Name} has no image tag");
            Assert.NotEqual("latest", i.a.Tag);
        });
    }

    [Fact]
    public void Database_go1_lives_on_postgres()
    {
        var database = Assert.IsType<PostgresDatabaseResource>(app.Resource(ResourceNames.Database));
        Assert.Equal(ResourceNames.Postgres, database.Parent.Name);
        Assert.Equal("go1", database.DatabaseName);
    }

    [Fact]
    public async Task Postgres_runs_with_logical_replication_and_enough_slots_and_senders()
    {
        var args = string.Join(' ', await app.ArgumentsAsync(ResourceNames.Postgres));
        Assert.Contains("-c wal_level=logical", args, StringComparison.Ordinal);
        Assert.Matches(@"-c max_wal_senders=([4-9]|\d\d+)\b", args);
        Assert.Matches(@"-c max_replication_slots=([4-9]|\d\d+)\b", args);
    }

    [Theory]
    [InlineData(ResourceNames.OrderApi, new[] { "go1", "kafka", "redis" })]
    [InlineData(ResourceNames.OrderWorker, new[] { "go1", "kafka", "temporal" })]
    [InlineData(ResourceNames.CdcSync, new[] { "go1", "kafka", "redis" })]
    [InlineData(ResourceNames.Migrations, new[] { "go1" })]
    public async Task Service_gets_connection_strings_for_exactly_what_it_uses(string service, string[] expected)
    {
        var environment = await app.EnvironmentAsync(service);
        var connections = environment.Keys
            .Where(k => k.StartsWith("ConnectionStrings__", StringComparison.Ordinal))
            .Select(k => k["ConnectionStrings__".Length..])
            .Order(StringComparer.Ordinal);
        Assert.Equal(expected, connections);
    }

    [Theory]
    // Waiting for the database also waits for its server, so "postgres" comes with "go1".
    [InlineData(ResourceNames.OrderApi, new[] { "go1", "kafka", "postgres", "redis" })]
    [InlineData(ResourceNames.OrderWorker, new[] { "go1", "kafka", "postgres", "temporal" })]
    [InlineData(ResourceNames.CdcSync, new[] { "debezium", "go1", "kafka", "postgres", "redis" })]
    [InlineData(ResourceNames.Migrations, new[] { "go1", "postgres" })]
    [InlineData(ResourceNames.Debezium, new[] { "go1", "kafka", "postgres" })]
    public void Resource_waits_until_its_dependencies_are_healthy(string service, string[] expected)
    {
        var healthyWaits = app.Resource(service).Annotations.OfType<WaitAnnotation>()
            .Where(w => w.WaitType == WaitType.WaitUntilHealthy)
            .Select(w => w.Resource.Name)
            .Order(StringComparer.Ordinal);
        Assert.Equal(expected, healthyWaits);
    }

    [Theory]
    [InlineData(ResourceNames.OrderApi)]
    [InlineData(ResourceNames.OrderWorker)]
    [InlineData(ResourceNames.CdcSync)]
    public void Service_starts_only_after_migrations_completed(string service)
    {
        var wait = Assert.Single(app.Resource(service).Annotations.OfType<WaitAnnotation>(), w => w.Resource.Name == ResourceNames.Migrations);
        Assert.Equal(WaitType.WaitForCompletion, wait.WaitType);
    }

    [Fact]
    public async Task Migrations_step_is_its_own_project_on_the_database()
    {
        var migrations = Assert.IsType<ProjectResource>(app.Resource(ResourceNames.Migrations));
        Assert.EndsWith("Go1.Migrations.csproj", migrations.GetProjectMetadata().ProjectPath, StringComparison.Ordinal);
        Assert.Empty(await app.ArgumentsAsync(ResourceNames.Migrations));
        Assert.Contains($"ConnectionStrings__{ResourceNames.Database}", (await app.EnvironmentAsync(ResourceNames.Migrations)).Keys);
    }

    [Theory]
    [InlineData(ResourceNames.OrderApi)]
    [InlineData(ResourceNames.OrderWorker)]
    [InlineData(ResourceNames.CdcSync)]
    public async Task Service_sends_traces_to_jaeger_as_well_as_the_dashboard(string service)
    {
        var environment = await app.EnvironmentAsync(service);
        Assert.Equal("{jaeger.bindings.otlp-grpc.url}", environment["Telemetry__JaegerOtlpEndpoint"]);
        Assert.Contains(app.Resource(service).Annotations.OfType<OtlpExporterAnnotation>(), _ => true);
    }

    [Theory]
    [InlineData(ResourceNames.OrderApi)]
    [InlineData(ResourceNames.OrderWorker)]
    [InlineData(ResourceNames.CdcSync)]
    public async Task Service_runs_with_two_malloc_arenas(string service) =>
        Assert.Equal("2", (await app.EnvironmentAsync(service)).GetValueOrDefault("MALLOC_ARENA_MAX"));

    [Fact]
    public async Task Kafka_advertises_a_host_listener_and_an_internal_listener_for_containers()
    {
        var environment = await app.EnvironmentAsync(ResourceNames.Kafka);
        Assert.Contains("PLAINTEXT_HOST://localhost:{kafka.bindings.tcp.port}", environment["KAFKA_ADVERTISED_LISTENERS"], StringComparison.Ordinal);
        Assert.Contains("PLAINTEXT_INTERNAL://kafka:9093", environment["KAFKA_ADVERTISED_LISTENERS"], StringComparison.Ordinal);
        Assert.NotEmpty(app.Resource(ResourceNames.Kafka).Annotations.OfType<HealthCheckAnnotation>());
        Assert.Equal("{kafka.bindings.internal.host}:{kafka.bindings.internal.port}", (await app.EnvironmentAsync(ResourceNames.KafkaUi))["KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS"]);
    }

    [Fact]
    public async Task Debezium_connects_to_kafkas_internal_listener_with_single_replica_internal_topics()
    {
        var environment = await app.EnvironmentAsync(ResourceNames.Debezium);
        Assert.Equal("{kafka.bindings.internal.host}:{kafka.bindings.internal.port}", environment["BOOTSTRAP_SERVERS"]);
        foreach (var topic in new[] { "CONFIG", "OFFSET", "STATUS" })
        {
            Assert.False(string.IsNullOrWhiteSpace(environment[$"{topic}_STORAGE_TOPIC"]));
            Assert.Equal("1", environment[$"CONNECT_{topic}_STORAGE_REPLICATION_FACTOR"]);
        }

        Assert.Equal("{postgres.bindings.tcp.host}", environment["GO1_PG_HOST"]);
        Assert.Equal("go1", environment["GO1_PG_DATABASE"]);
        Assert.Equal("org.apache.kafka.common.config.provider.EnvVarConfigProvider", environment["CONNECT_CONFIG_PROVIDERS_ENV_CLASS"]);
    }

    [Fact]
    public void Debezium_connector_file_reads_public_orders_through_pgoutput_without_secrets()
    {
        var path = Path.Combine(RepositoryRoot.Path, "debezium", "connector.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var config = document.RootElement;
        string Setting(string key) => config.GetProperty(key).GetString()!;

        Assert.Equal("io.debezium.connector.postgresql.PostgresConnector", Setting("connector.class"));
        Assert.Equal("pgoutput", Setting("plugin.name"));
        Assert.Equal("public.orders", Setting("table.include.list"));
        Assert.Equal("go1", Setting("topic.prefix"));
        Assert.Equal("filtered", Setting("publication.autocreate.mode"));
        Assert.Equal("io.debezium.transforms.ExtractNewRecordState", Setting("transforms.unwrap.type"));
        Assert.Contains("op", Setting("transforms.unwrap.add.fields").Split(','));
        Assert.Equal("rewrite-with-tombstone", Setting("transforms.unwrap.delete.tombstone.handling.mode"));
        Assert.Equal("false", Setting("value.converter.schemas.enable"));
        Assert.StartsWith("${env:", Setting("database.password"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Temporal_runs_the_dev_server_and_exposes_grpc_and_ui()
    {
        var args = await app.ArgumentsAsync(ResourceNames.Temporal);
        Assert.Equal(["server", "start-dev"], args.Take(2));
        // Workflows outlive a restart, as the orders in PostgreSQL's volume do: no orphaned orders after `docker restart`.
        var database = args.SkipWhile(a => a != "--db-filename").Skip(1).First();
        var volume = Assert.Single(app.Resource(ResourceNames.Temporal).Annotations.OfType<ContainerMountAnnotation>(), m => m.Type == ContainerMountType.Volume);
        Assert.StartsWith(volume.Target + "/", database, StringComparison.Ordinal);
        var endpoints = app.Resource(ResourceNames.Temporal).Annotations.OfType<EndpointAnnotation>().ToDictionary(e => e.Name, e => e.TargetPort);
        Assert.Equal(7233, endpoints["grpc"]);
        Assert.Equal(8233, endpoints["ui"]);
    }

    [Fact]
    public async Task Prometheus_scrapes_the_three_services_with_config_from_the_apphost_folder()
    {
        var environment = await app.EnvironmentAsync(ResourceNames.Prometheus);
        Assert.Equal("orderapi orderworker cdcsync", environment["GO1_SCRAPE_SERVICES"]);
        Assert.Equal("{orderapi.bindings.http.host}:{orderapi.bindings.http.port}", environment["GO1_SCRAPE_ORDERAPI"]);
        var mount = Assert.Single(app.Resource(ResourceNames.Prometheus).Annotations.OfType<ContainerMountAnnotation>());
        Assert.True(File.Exists(Path.Combine(mount.Source!, "prometheus.yml")));
        Assert.Contains("/metrics", File.ReadAllText(Path.Combine(mount.Source!, "prometheus.yml")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Grafana_is_provisioned_with_the_prometheus_data_source()
    {
        var environment = await app.EnvironmentAsync(ResourceNames.Grafana);
        Assert.Equal("{prometheus.bindings.http.url}", environment["PROMETHEUS_URL"]);
        var provisioning = app.Resource(ResourceNames.Grafana).Annotations.OfType<ContainerMountAnnotation>()
            .Single(m => m.Target == "/etc/grafana/provisioning");
        var datasource = File.ReadAllText(Path.Combine(provisioning.Source!, "datasources", "prometheus.yml"));
        Assert.Contains("type: prometheus", datasource, StringComparison.Ordinal);
        Assert.Contains("${PROMETHEUS_URL}", datasource, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_container_image_is_pinned_and_listed_for_pulling_before_a_first_run()
    {
        var containers = app.Model.Resources.Where(r => r.Annotations.OfType<ContainerImageAnnotation>().Any()).ToList();

        var images = Go1.AppHost.ContainerImages.Of(app.Model.Resources).ToList();

        Assert.Equal(containers.Select(c => c.Annotations.OfType<ContainerImageAnnotation>().Single().Image).Distinct().Count(), images.Count);
        Assert.All(images, image => Assert.DoesNotMatch(":latest$|:$", image));
        Assert.Contains("quay.io/debezium/connect:3.5.2.Final", images);
        Assert.Contains("docker.io/temporalio/temporal:1.4.1", images);
    }

    [Fact]
    public void An_untagged_image_is_refused_rather_than_listed_as_latest()
    {
        var untagged = new ContainerResource("untagged");
        untagged.Annotations.Add(new ContainerImageAnnotation { Image = "example/thing" });

        var error = Assert.Throws<InvalidOperationException>(() => Go1.AppHost.ContainerImages.Of([untagged]).ToList());

        Assert.Contains("example/thing", error.Message, StringComparison.Ordinal);
    }
}
