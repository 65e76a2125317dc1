using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>The Redis client every Go1 service that uses Redis registers.</summary>
public static class RedisClient
{
    /// <summary>
    /// <see cref="AspireRedisExtensions.AddRedisClient"/> for <paramref name="connectionName"/>, its calls traced by
    /// OpenTelemetry's StackExchange.Redis instrumentation rather than the older copy built into Aspire's client. That
    /// copy turns a traced operation's Redis calls into spans only after the operation ends, in a sweep every 10 s,
    /// holding each operation's activity and profiling session until then, so a busy API held seconds of requests in
    /// memory (bench/README.md has the figures). The package drains calls as they complete, every 100 ms while busy.
    /// </summary>
    public static IHostApplicationBuilder AddGo1RedisClient(this IHostApplicationBuilder builder, string connectionName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddRedisClient(connectionName, settings => settings.DisableTracing = true);
        builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing.AddRedisInstrumentation());
        return builder;
    }
}
