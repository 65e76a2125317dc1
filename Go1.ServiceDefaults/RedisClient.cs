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
    /// holding each operation's activity and profiling session until then: an OrderApi serving 8,000–8,600 GET/s from
    /// Redis peaked at 326–362 MB RSS with 17 MB live. The package drains calls as they complete, every 100 ms while busy.
    /// </summary>
    public static IHostApplicationBuilder AddGo1RedisClient(this IHostApplicationBuilder builder, string connectionName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddRedisClient(connectionName, settings => settings.DisableTracing = true);
        builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing.AddRedisInstrumentation());
        return builder;
    }
}
