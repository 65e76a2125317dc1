using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Go1.AppHost;

/// <summary>
/// Ctrl+C while the AppHost is still starting is how a newcomer without a container runtime leaves (the start never
/// completes: DCP waits for the runtime), and how anyone leaves a first run still pulling images. Aspire then logs
/// "Hosting failed to start" with the cancellation's stack trace, as if something had broken. Once a stop has been
/// asked for, the host's own start failure is that stop, not news: it is not logged. Any other time it still is.
/// </summary>
public static class StopDuringStart
{
    /// <summary>The category <c>Microsoft.Extensions.Hosting</c> logs a failed start under.</summary>
    public const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";

    public static IDistributedApplicationBuilder LogNoStartFailureAfterStop(this IDistributedApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var stopping = CancellationToken.None;
        builder.Eventing.Subscribe<BeforeStartEvent>((e, _) =>
        {
            stopping = e.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            return Task.CompletedTask;
        });
        // Information and up, as every other category (appsettings.json).
        builder.Services.Configure<LoggerFilterOptions>(o => o.Rules.Add(new LoggerFilterRule(null, HostCategory, LogLevel.Information,
            (_, _, level) => level < LogLevel.Error || !stopping.IsCancellationRequested)));
        return builder;
    }
}
