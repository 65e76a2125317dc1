using Go1.ServiceDefaults;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Temporalio.Client;
using Temporalio.Extensions.Hosting;
using Temporalio.Worker;

namespace Go1.OrderWorker.Saga;

/// <summary>
/// Polls the saga's task queue with <see cref="OrderWorkflow"/> and <see cref="OrderActivities"/> (created through
/// DI). Unlike a bare hosted worker, losing Temporal does not stop the process: the worker reconnects with
/// backoff, and its health check says Unhealthy meanwhile.
/// </summary>
public sealed partial class OrderSagaWorker(
    ITemporalClient client, IServiceProvider services, IOptions<OrderSagaOptions> options, ILoggerFactory loggerFactory, ILogger<OrderSagaWorker> logger)
    : BackgroundService, IHealthCheck
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);
    private volatile string? _problem = "starting";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_problem is { } problem ? HealthCheckResult.Unhealthy($"saga worker: {problem}") : HealthCheckResult.Healthy());

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0; // since the worker last polled: a reconnect after a good run starts from the first wait
        var reconnect = RetryUntilSuccess.Pipeline((_, _) => RetryBackoff.After(++failures, FirstBackoff, MaxBackoff), (ex, wait) =>
        {
            _problem = ex.Message;
            LogWorkerFailed(logger, ex, wait.TotalSeconds);
        });
        try
        {
            await reconnect.ExecuteAsync(async ct =>
            {
                if (client.Connection is TemporalConnection { IsConnected: false } lazy)
                {
                    await lazy.ConnectAsync(); // workers cannot poll through a connection that is still lazy
                }

                var workerOptions = new TemporalWorkerOptions(options.Value.TaskQueue) { LoggerFactory = loggerFactory }.AddWorkflow<OrderWorkflow>();
                foreach (var activity in services.CreateTemporalActivityDefinitions<OrderActivities>())
                {
                    workerOptions.AddActivity(activity);
                }

                using var worker = new TemporalWorker(client, workerOptions);
                _problem = null;
                failures = 0;
                LogPolling(logger, options.Value.TaskQueue);
                await worker.ExecuteAsync(ct);
                ct.ThrowIfCancellationRequested();
                throw new InvalidOperationException("The Temporal worker stopped polling."); // only a stop may end the loop
            }, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Polling Temporal task queue {TaskQueue} for order workflows and activities.")]
    private static partial void LogPolling(ILogger logger, string taskQueue);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The saga worker stopped; reconnecting in {Seconds} s.")]
    private static partial void LogWorkerFailed(ILogger logger, Exception exception, double seconds);
}
