namespace Go1.ServiceDefaults;

/// <summary>
/// The connection names services read (<c>ConnectionStrings:{name}</c>) and the AppHost's resources are named by.
/// Also compiled into the AppHost, which references no service assembly.
/// </summary>
public static class ConnectionNames
{
    public const string Database = "go1";
    public const string Redis = "redis";
    public const string Kafka = "kafka";
    public const string Temporal = "temporal";
}
