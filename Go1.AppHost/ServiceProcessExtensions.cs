namespace Go1.AppHost;

/// <summary>How every Go1 service process runs, wherever the AppHost starts or publishes it.</summary>
public static class ServiceProcessExtensions
{
    /// <summary>
    /// glibc's malloc gives threads that contend their own arena (up to eight per core) and keeps the pages each arena
    /// touched; with two, OrderApi's peak resident memory under <c>bench/orders</c> is about 15 MB lower at the same
    /// throughput (bench/README.md). Read by glibc at process start, so it is set here, not in code.
    /// </summary>
    public const string MallocArenaMax = "2";

    public static IResourceBuilder<ProjectResource> WithServiceProcessSettings(this IResourceBuilder<ProjectResource> service) =>
        service.WithEnvironment("MALLOC_ARENA_MAX", MallocArenaMax);
}
