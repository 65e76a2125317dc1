namespace Go1.Tests.Api;

/// <summary>The OrderApi series on /metrics that the Grafana dashboard charts.</summary>
[Collection(nameof(MetricsScrapeCollection))]
public sealed class OrderMetricsTests(OrderApiFixture api) : IClassFixture<OrderApiFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string NewUser() => $"user-{Guid.NewGuid():N}";

    [Fact]
    public async Task Created_orders_are_counted_by_status_on_metrics()
    {
        await api.ClientFor(NewUser()).PostAsJsonAsync("/orders", OrderApiFixture.ValidOrder(paymentMethod: "wallet"), Ct);

        // Scrapes are cached for a moment and other tests' orders count too: wait for this order's series.
        const string Series = "go1_orders_created_(order_)?total\\{[^}]*status=\"WAITING_FOR_PAYMENT\"";
        var text = string.Empty;
        for (var i = 0; i < 50 && !System.Text.RegularExpressions.Regex.IsMatch(text, Series); i++)
        {
            text = await api.Factory.CreateClient().GetStringAsync("/metrics", Ct);
            await Task.Delay(100, Ct);
        }

        Assert.Matches(Series, text);
    }

    [Fact]
    public async Task Group_commit_and_near_cache_metrics_charted_by_grafana_are_exposed()
    {
        var client = api.ClientFor(NewUser());
        var order = await OrderApiFixture.ReadOrderAsync(await client.PostAsJsonAsync("/orders", OrderApiFixture.ValidOrder(), Ct));
        string[] names = ["go1_orders_write_batch_size_count", "go1_cache_near_reads_total{", "go1_cache_near_live"];

        var text = string.Empty;
        // Up to 30 s: under a loaded test run the subscription can take a few seconds.
        for (var deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline && !names.All(n => text.Contains(n, StringComparison.Ordinal));)
        {
            // Reads count in the near cache only once its invalidation subscription is up, which a new API starts in the background.
            await client.GetAsync($"/orders/{order.Id}", Ct);
            text = await api.Factory.CreateClient().GetStringAsync("/metrics", Ct);
            await Task.Delay(100, Ct);
        }

        Assert.All(names, n => Assert.Contains(n, text, StringComparison.Ordinal));
        var dashboard = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "Go1.AppHost", "grafana", "dashboards", "go1-overview.json"), Ct);
        Assert.All(["go1_orders_write_batch_size_count", "go1_cache_near_reads_total", "go1_cache_near_live"], n => Assert.Contains(n, dashboard, StringComparison.Ordinal));
    }
}
