using Go1.AppHost;
using Go1.AppHost.Debezium;
using Go1.AppHost.Kafka;
using Go1.AppHost.Telemetry;
using Go1.AppHost.Temporal;

var listImages = args.Contains(ContainerImages.ListArgument);
var builder = DistributedApplication.CreateBuilder(listImages ? [$"--{ContainerRuntime.AssumeKey}=true"] : args);
builder.LogNoStartFailureAfterStop();
var containers = ContainerRuntime.Detect(builder);
if (!containers.Available)
{
    Console.Error.WriteLine(containers.Advice);
}

// Data and messaging.
var postgres = builder.AddPostgres(ResourceNames.Postgres)
    .WithImageTag("17.6")
    // Logical decoding for Debezium and the pgoutput change source.
    .WithArgs("-c", "wal_level=logical", "-c", "max_wal_senders=10", "-c", "max_replication_slots=10")
    .WithDataVolumeWhen(containers.Available);
var database = postgres.AddDatabase(ResourceNames.Database);

var redis = builder.AddRedis(ResourceNames.Redis);

var kafka = builder.AddKafka(ResourceNames.Kafka, port: 9092)
    .WithKafkaUI(ResourceNames.KafkaUi);

var debezium = builder.AddDebezium(ResourceNames.Debezium, kafka.Resource.InternalEndpoint, postgres, ResourceNames.Database)
    .WaitFor(kafka)
    .WaitFor(database);

var temporal = builder.AddTemporalDevServer(ResourceNames.Temporal, persistent: containers.Available);

// Observability beyond the Aspire dashboard.
var jaeger = builder.AddJaeger(ResourceNames.Jaeger);

// Schema first: every service waits for this step to complete.
var migrations = builder.AddProject<Projects.Go1_Migrations>(ResourceNames.Migrations)
    .WithReference(database)
    .WaitFor(database);

var orderApi = builder.AddProject<Projects.Go1_OrderApi>(ResourceNames.OrderApi)
    .WithServiceProcessSettings()
    .WithReference(database).WaitFor(database)
    .WithReference(redis).WaitFor(redis)
    .WithReference(kafka).WaitFor(kafka)
    .WaitForCompletion(migrations)
    .WithJaegerTracing(jaeger)
    .WithExternalHttpEndpoints();

var orderWorker = builder.AddProject<Projects.Go1_OrderWorker>(ResourceNames.OrderWorker)
    .WithServiceProcessSettings()
    .WithReference(database).WaitFor(database)
    .WithReference(kafka).WaitFor(kafka)
    .WithReference(temporal).WaitFor(temporal)
    .WaitForCompletion(migrations)
    .WithJaegerTracing(jaeger);

var cdcSync = builder.AddProject<Projects.Go1_CdcSync>(ResourceNames.CdcSync)
    .WithServiceProcessSettings()
    .WithReference(database).WaitFor(database)
    .WithReference(redis).WaitFor(redis)
    .WithReference(kafka).WaitFor(kafka)
    .WithEnvironment("CdcSync__Source", "Debezium")
    .WithReferenceRelationship(debezium).WaitFor(debezium)
    .WaitForCompletion(migrations)
    .WithJaegerTracing(jaeger);

var prometheus = builder.AddPrometheus(ResourceNames.Prometheus, orderApi, orderWorker, cdcSync);
builder.AddGrafana(ResourceNames.Grafana, prometheus);

if (listImages)
{
    Console.WriteLine(string.Join(Environment.NewLine, ContainerImages.Of(builder.Resources)));
    return;
}

builder.Build().Run();
