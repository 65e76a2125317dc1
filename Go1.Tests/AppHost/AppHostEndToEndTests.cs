using System.Text.RegularExpressions;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Go1.AppHost;
using Go1.FlowCheck;

namespace Go1.Tests.AppHost;

/// <summary>
/// The whole system as <c>dotnet run --project Go1.AppHost</c> starts it, where a container runtime runs: every resource
/// healthy (or a report of which is not, and why), then the flow check (create, dispatch, deliver, COMPLETED), the
/// order in Redis through Debezium, the create's trace in Jaeger, and Prometheus scraping all three services. Skipped,
/// saying why, on machines without Docker or Podman; run it with <c>dotnet test --filter-class "*AppHostEndToEndTests"</c>.
/// </summary>
public sealed partial class AppHostEndToEndTests(ITestOutputHelper output)
{
    private static readonly TimeSpan StartupBudget = TimeSpan.FromMinutes(10);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_whole_system_comes_up_and_completes_an_order_end_to_end()
    {
        var runtime = ContainerRuntime.Detect(DistributedApplication.CreateBuilder([]));
        if (!runtime.Available)
        {
            Assert.Skip($"Needs a container runtime ({runtime.Name}: {runtime.Problem}); this machine has none. Where Docker or Podman runs, this test starts the whole AppHost.");
        }

        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Go1_AppHost>(
            [$"--DcpPublisher:ContainerRuntimeInitializationTimeout=00:01:00"], Ct);
        await using var app = await builder.BuildAsync(Ct);
        var health = new ConcurrentDictionary<string, (string State, string Health, string Reports)>();
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var notifications = app.Services.GetRequiredService<ResourceNotificationService>();
        _ = Task.Run(async () =>
        {
            await foreach (var e in notifications.WatchAsync(watching.Token))
            {
                health[e.Resource.Name] = (e.Snapshot.State?.Text ?? "?", e.Snapshot.HealthStatus?.ToString() ?? "?",
                    string.Join("; ", e.Snapshot.HealthReports.Where(r => r.Status != Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy)
                        .Select(r => $"{r.Name}: {r.Status} {r.Description ?? r.ExceptionText}")));
            }
        }, CancellationToken.None);

        await app.StartAsync(Ct).WaitAsync(StartupBudget, Ct);
        await AllHealthyAsync(app, health);

        // The flow check against the running system, as a developer runs it.
        using var api = app.CreateHttpClient(ResourceNames.OrderApi, "http");
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig
        {
            BootstrapServers = await app.GetConnectionStringAsync(ResourceNames.Kafka, Ct),
            EnableIdempotence = true,
        }).Build();
        var flow = new StringWriter();
        var exitCode = await new OrderFlow(api, producer, flow, new FlowOptions { StepTimeout = TimeSpan.FromSeconds(60) }).RunAsync(Ct);
        output.WriteLine(flow.ToString());
        Assert.True(exitCode == 0, flow.ToString());
        var orderId = PassedOrder().Match(flow.ToString()).Groups["id"].Value;

        // Debezium → Kafka → CdcSync → Redis.
        await using var redis = await ConnectionMultiplexer.ConnectAsync((await app.GetConnectionStringAsync(ResourceNames.Redis, Ct))!);
        await Eventually.HoldsAsync(async () => (await redis.GetDatabase().StringGetAsync($"order:{orderId}")) is { IsNullOrEmpty: false } json
            && JsonDocument.Parse(json.ToString()).RootElement.GetProperty("status").GetString() == "COMPLETED", TimeSpan.FromSeconds(60), "the COMPLETED order in Redis, through Debezium");

        // The create's trace in Jaeger.
        using var jaeger = app.CreateHttpClient(ResourceNames.Jaeger, "http");
        await Eventually.HoldsAsync(async () =>
        {
            var traces = await jaeger.GetFromJsonAsync<JsonElement>("/api/traces?service=orderapi&limit=50&lookback=1h", Ct);
            return traces.GetProperty("data").EnumerateArray().Any(t => t.GetRawText().Contains("POST", StringComparison.Ordinal));
        }, TimeSpan.FromSeconds(60), "a POST /orders trace of orderapi in Jaeger");

        // Prometheus scrapes all three services.
        using var prometheus = app.CreateHttpClient(ResourceNames.Prometheus, "http");
        await Eventually.HoldsAsync(async () =>
        {
            var up = await prometheus.GetFromJsonAsync<JsonElement>("/api/v1/query?query=up", Ct);
            var services = up.GetProperty("data").GetProperty("result").EnumerateArray()
                .Where(r => r.GetProperty("value")[1].GetString() == "1")
                .Select(r => r.GetProperty("metric").TryGetProperty("service", out var s) ? s.GetString() : null).ToHashSet();
            return services.IsSupersetOf([ResourceNames.OrderApi, ResourceNames.OrderWorker, ResourceNames.CdcSync]);
        }, TimeSpan.FromSeconds(90), "up == 1 for orderapi, orderworker and cdcsync in Prometheus");
        await watching.CancelAsync();
    }

    /// <summary>Every resource running and healthy (migrations finished); past the budget, a report of which is not and why.</summary>
    private async Task AllHealthyAsync(DistributedApplication app, ConcurrentDictionary<string, (string State, string Health, string Reports)> health)
    {
        var names = app.Services.GetRequiredService<DistributedApplicationModel>().Resources.Select(r => r.Name)
            .Where(n => !n.EndsWith("-rebuilder", StringComparison.Ordinal)).ToList();
        bool Ready(string name) => health.TryGetValue(name, out var h)
            && (name == ResourceNames.Migrations ? h.State == KnownResourceStates.Finished : h.State == KnownResourceStates.Running && h.Health is "Healthy" or "?");
        var deadline = DateTime.UtcNow + StartupBudget;
        while (!names.All(Ready))
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Not healthy within {StartupBudget.TotalMinutes} min: " + string.Join("; ", names.Where(n => !Ready(n))
                    .Select(n => health.TryGetValue(n, out var h) ? $"{n} is {h.State}, health {h.Health} ({h.Reports})" : $"{n} reported nothing")));
            }

            await Task.Delay(TimeSpan.FromSeconds(1), Ct);
        }

        output.WriteLine("healthy: " + string.Join(", ", names));
    }

    [GeneratedRegex("PASSED: order (?<id>[0-9a-f-]{36})")]
    private static partial Regex PassedOrder();
}
