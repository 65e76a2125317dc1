namespace Go1.CdcSync;

public enum ChangeSourceKind
{
    /// <summary>PostgreSQL logical replication (pgoutput), read directly: no Kafka Connect needed.</summary>
    Postgres,

    /// <summary>Debezium's <c>go1.public.orders</c> topic (what the AppHost runs).</summary>
    Debezium,
}
