using Go1.Temporal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Temporalio.Client;

namespace Microsoft.Extensions.Hosting;

public static class TemporalClientExtensions
{
    /// <summary>
    /// Registers a lazily connecting <see cref="ITemporalClient"/> for <c>ConnectionStrings:{connectionName}</c>
    /// and a readiness check. The client connects on first use, so a service starts even while Temporal is still booting.
    /// </summary>
    public static IHostApplicationBuilder AddTemporalClient(
        this IHostApplicationBuilder builder,
        string connectionName,
        Action<TemporalClientSettings>? configureSettings = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionName);

        builder.Services.AddOptions<TemporalClientSettings>()
            .Configure<IConfiguration>((settings, configuration) =>
            {
                configuration.GetSection(TemporalClientSettings.SectionName).Bind(settings);
                settings.ConnectionString = configuration.GetConnectionString(connectionName) ?? settings.ConnectionString;
                configureSettings?.Invoke(settings);
            })
            .Validate(s => !string.IsNullOrWhiteSpace(s.TargetHost),
                $"Temporal client: set ConnectionStrings:{connectionName} (the frontend's host:port).")
            .Validate(s => !string.IsNullOrWhiteSpace(s.Namespace), $"Temporal client: {TemporalClientSettings.SectionName}:Namespace is empty.")
            .ValidateOnStart();

        builder.Services.AddSingleton<ITemporalClient>(sp =>
        {
            var settings = sp.GetRequiredService<IOptions<TemporalClientSettings>>().Value;
            return TemporalClient.CreateLazy(new TemporalClientConnectOptions(settings.TargetHost!)
            {
                Namespace = settings.Namespace,
                LoggerFactory = sp.GetRequiredService<ILoggerFactory>(),
                Interceptors = [new TemporalTracingInterceptor()],
            });
        });

        builder.Services.AddSingleton<TemporalHealthCheck>();
        builder.Services.AddHealthChecks().Add(new Diagnostics.HealthChecks.HealthCheckRegistration(
            $"temporal-{connectionName}",
            sp => sp.GetRequiredService<IOptions<TemporalClientSettings>>().Value.DisableHealthChecks
                ? new AlwaysHealthy()
                : sp.GetRequiredService<TemporalHealthCheck>(),
            failureStatus: null,
            tags: ["ready", "temporal"]));
        return builder;
    }

    private sealed class AlwaysHealthy : Diagnostics.HealthChecks.IHealthCheck
    {
        public Task<Diagnostics.HealthChecks.HealthCheckResult> CheckHealthAsync(Diagnostics.HealthChecks.HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(Diagnostics.HealthChecks.HealthCheckResult.Healthy("Temporal health check disabled."));
    }
}
