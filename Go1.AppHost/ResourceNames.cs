using Go1.ServiceDefaults;

namespace Go1.AppHost;

/// <summary>Resource names: connection strings, service discovery and tests all key on them.</summary>
public static class ResourceNames
{
    public const string Postgres = "postgres";
    public const string Database = ConnectionNames.Database;
    public const string Redis = ConnectionNames.Redis;
    public const string Kafka = ConnectionNames.Kafka;
    public const string KafkaUi = "kafka-ui";
    public const string Debezium = "debezium";
    public const string Temporal = ConnectionNames.Temporal;
    public const string Jaeger = "jaeger";
    public const string Prometheus = "prometheus";
    public const string Grafana = "grafana";
    public const string Migrations = "migrations";
    public const string OrderApi = "orderapi";
    public const string OrderWorker = "orderworker";
    public const string CdcSync = "cdcsync";
}
