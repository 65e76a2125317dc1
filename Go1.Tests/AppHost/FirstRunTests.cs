using System.Reflection;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Go1.AppHost;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Go1.Tests.AppHost;

/// <summary>
/// <c>dotnet run --project Go1.AppHost</c> as a newcomer meets it on a machine without a container engine: the real
/// AppHost starts (the dashboard included), says in one line what is missing, shows the containers waiting for the
/// runtime and the services waiting for them, and does not crash. It did crash, minutes in, once a volume was declared.
/// </summary>
public sealed class FirstRunTests(ITestOutputHelper output)
{
    private static readonly string[] Containers = [ResourceNames.Postgres, ResourceNames.Redis, ResourceNames.Kafka, ResourceNames.Temporal, ResourceNames.Jaeger];
    private static readonly string[] Services = [ResourceNames.OrderApi, ResourceNames.OrderWorker, ResourceNames.CdcSync];
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Without_a_container_runtime_the_apphost_stays_up_shows_what_waits_and_never_crashes()
    {
        var runtime = ContainerRuntime.Detect(DistributedApplication.CreateBuilder([]));
        if (runtime.Available)
        {
            Assert.Skip($"A container runtime answers here ({runtime.Name}): this test is about a machine without one. AppHostEndToEndTests covers this machine.");
        }

        // As `dotnet run` does (the testing host would instead fail the start after 30 s without a runtime), with the dashboard.
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Go1_AppHost>(
            ["--DcpPublisher:ContainerRuntimeInitializationTimeout=00:00:00"], (options, _) => options.DisableDashboard = false, Ct);
        // What a dashboard session does: resources wait for what is unavailable instead of failing (start Docker, and they go on).
        builder.Services.Configure<ResourceNotificationServiceOptions>(o => o.DefaultWaitBehavior = WaitBehavior.WaitOnResourceUnavailable);
        await using var app = await builder.BuildAsync(Ct);
        var states = new ConcurrentDictionary<string, string>();
        var notifications = app.Services.GetRequiredService<ResourceNotificationService>();
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var watch = Task.Run(async () =>
        {
            await foreach (var e in notifications.WatchAsync(watching.Token))
            {
                states[e.Resource.Name] = e.Snapshot.State?.Text ?? "(none)";
            }
        }, CancellationToken.None);

        // Without a runtime the start never completes (DCP waits for the containers); it must not fail either.
        var start = app.StartAsync(Ct);
        try
        {
            await Eventually.HoldsAsync(
                () => Containers.All(c => states.GetValueOrDefault(c) == KnownResourceStates.RuntimeUnhealthy) && Services.All(s => states.GetValueOrDefault(s) == KnownResourceStates.Waiting),
                TimeSpan.FromSeconds(90), "containers reported as waiting for the runtime and services as waiting for them");
        }
        catch (Xunit.Sdk.XunitException ex)
        {
            throw new Xunit.Sdk.XunitException($"{ex.Message}; states seen: {string.Join(", ", states.OrderBy(s => s.Key).Select(s => $"{s.Key}={s.Value}"))}");
        }
        var endpoints = app.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == "aspire-dashboard")
            .Annotations.OfType<EndpointAnnotation>().ToList();
        using var http = new HttpClient { BaseAddress = new Uri(endpoints.First(e => e.UriScheme == "http").AllocatedEndpoint!.UriString) };
        var dashboard = await http.GetAsync("/", Ct);
        // The crash came when a declared volume timed out (about three minutes in); without volumes nothing waits for one.
        await Task.Delay(TimeSpan.FromSeconds(5), Ct);

        output.WriteLine(string.Join(Environment.NewLine, states.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}")));
        Assert.False(start.IsFaulted, start.Exception?.ToString());
        Assert.True((int)dashboard.StatusCode < 500, $"dashboard answered {(int)dashboard.StatusCode}");
        Assert.Empty(app.Services.GetRequiredService<DistributedApplicationModel>().Resources.SelectMany(r => r.Annotations.OfType<ContainerMountAnnotation>())
            .Where(m => m.Type == ContainerMountType.Volume).Select(m => m.Source));
        await watching.CancelAsync();
        await watch.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
    }

    [Fact]
    public async Task A_newcomer_who_stops_the_waiting_apphost_reads_the_advice_and_no_stack_trace()
    {
        var runtime = ContainerRuntime.Detect(DistributedApplication.CreateBuilder([]));
        if (runtime.Available)
        {
            Assert.Skip($"A container runtime answers here ({runtime.Name}): this test is about a machine without one.");
        }

        // The newcomer's command, in a process group of its own, so that the signal reaches `dotnet run` and the
        // AppHost together, as Ctrl+C in a terminal does. SIGTERM rather than SIGINT: a test run from a background job
        // inherits SIGINT ignored; the host stops the same way on either.
        var configuration = typeof(FirstRunTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var start = new ProcessStartInfo("setsid") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "dotnet", "run", "--project", Projects.Go1_AppHost.ProjectPath, "--no-build", "-c", configuration })
        {
            start.ArgumentList.Add(argument);
        }

        var lines = new ConcurrentQueue<string>();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("setsid did not start");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lines.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lines.Enqueue(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await Eventually.HoldsAsync(() => lines.Any(l => l.Contains("Login to the dashboard at", StringComparison.Ordinal)), TimeSpan.FromSeconds(90), "the dashboard's login line");
            // Still starting: without a runtime the start never completes, which is when the stack trace used to come.
            await Task.Delay(TimeSpan.FromSeconds(3), Ct);
            await ProcessRunner.RunCheckedAsync("kill", "-TERM", "--", $"-{process.Id}");
            using var exit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            exit.CancelAfter(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(exit.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            output.WriteLine(string.Join(Environment.NewLine, lines));
        }

        Assert.Equal(0, process.ExitCode);
        Assert.Single(lines, l => l.StartsWith("Go1: no container runtime answers", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("fail:", StringComparison.Ordinal) || l.StartsWith("crit:", StringComparison.Ordinal) || l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_host_start_failure_is_logged_unless_a_stop_was_asked_for()
    {
        var builder = DistributedApplication.CreateBuilder([]);
        builder.LogNoStartFailureAfterStop();
        var written = new ConcurrentQueue<(LogLevel, string)>();
        builder.Services.AddSingleton<ILoggerProvider>(new RecordingLoggerProvider(written));
        await using var services = builder.Services.BuildServiceProvider();
        var host = services.GetRequiredService<ILoggerFactory>().CreateLogger(StopDuringStart.HostCategory);
        await builder.Eventing.PublishAsync(new BeforeStartEvent(services, new DistributedApplicationModel(builder.Resources)), Ct);

        host.LogError("failed before any stop");
        services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
        host.LogError("failed after the stop");
        host.LogWarning("warned after the stop");
        host.LogDebug("debug");

        Assert.Equal([(LogLevel.Error, "failed before any stop"), (LogLevel.Warning, "warned after the stop")], written);
    }

    private sealed class RecordingLoggerProvider(ConcurrentQueue<(LogLevel, string)> written) : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            written.Enqueue((logLevel, formatter(state, exception)));

        public void Dispose()
        {
        }
    }
}
