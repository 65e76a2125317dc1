using System.Collections.Concurrent;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Go1.AppHost;
using Microsoft.Extensions.DependencyInjection;

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
}
