namespace Go1.AppHost;

public static class VolumeExtensions
{
    /// <summary>PostgreSQL's data volume, declared only when a container runtime can make it (see <see cref="ContainerRuntime"/>).</summary>
    public static IResourceBuilder<PostgresServerResource> WithDataVolumeWhen(this IResourceBuilder<PostgresServerResource> postgres, bool runtimeAvailable) =>
        runtimeAvailable ? postgres.WithDataVolume() : postgres;
}
