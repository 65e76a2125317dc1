using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Hosting;

namespace Go1.Tests.ServiceDefaults;

/// <summary>What every service answers on /health, /alive and /metrics.</summary>
[Collection(nameof(MetricsScrapeCollection))]
public sealed class DefaultEndpointsTests
{
    private static async Task<WebApplication> StartAsync(Action<IHealthChecksBuilder>? addChecks = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.WebHost.UseTestServer();
        builder.AddServiceDefaults();
        addChecks?.Invoke(builder.Services.AddHealthChecks());
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapGet("/ping", () => "pong");
        await app.StartAsync(TestContext.Current.CancellationToken);
        return app;
    }

    [Fact]
    public async Task Health_and_alive_answer_healthy_in_production()
    {
        await using var app = await StartAsync();
        var client = app.GetTestClient();

        foreach (var path in new[] { "/health", "/alive" })
        {
            var response = await client.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }
    }

    [Fact]
    public async Task Failing_dependency_makes_health_503_without_detail_while_alive_stays_200()
    {
        await using var app = await StartAsync(checks => checks.AddCheck("database", () =>
            HealthCheckResult.Unhealthy("connection refused to 10.1.2.3:5432", new InvalidOperationException("secret detail"))));
        var client = app.GetTestClient();

        var health = await client.GetAsync(new Uri("/health", UriKind.Relative), TestContext.Current.CancellationToken);
        var body = await health.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal("Unhealthy", body);

        var alive = await client.GetAsync(new Uri("/alive", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }

    [Fact]
    public async Task Metrics_endpoint_serves_prometheus_text_including_http_server_metrics()
    {
        await using var app = await StartAsync();
        var client = app.GetTestClient();
        await client.GetAsync(new Uri("/ping", UriKind.Relative), TestContext.Current.CancellationToken);

        // The exporter caches a scrape briefly; poll until the request above shows up.
        string text = string.Empty;
        for (var attempt = 0; attempt < 50 && !text.Contains("http_server_request_duration_seconds", StringComparison.Ordinal); attempt++)
        {
            var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
            text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        Assert.Contains("# TYPE http_server_request_duration_seconds histogram", text, StringComparison.Ordinal);
        Assert.Contains("http_route=\"/ping\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_carry_the_go_systems_http_metric_names_by_route_template_and_final_status()
    {
        await using var app = await StartAsync();
        var client = app.GetTestClient();
        await client.GetAsync(new Uri("/ping", UriKind.Relative), TestContext.Current.CancellationToken);
        await client.GetAsync(new Uri("/no-such-route", UriKind.Relative), TestContext.Current.CancellationToken);

        string text = string.Empty;
        for (var attempt = 0; attempt < 50 && !text.Contains("http_requests_total{", StringComparison.Ordinal); attempt++)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
            text = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative), TestContext.Current.CancellationToken);
        }

        Assert.Contains("# TYPE http_requests_total counter", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE http_request_duration_seconds histogram", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE http_active_requests gauge", text, StringComparison.Ordinal);
        Assert.Matches("http_requests_total\\{[^}]*method=\"GET\",path=\"/ping\",status=\"200\"[^}]*\\} 1", text);
        Assert.Matches("http_requests_total\\{[^}]*path=\"unmatched\",status=\"404\"[^}]*\\} 1", text);
    }
}
