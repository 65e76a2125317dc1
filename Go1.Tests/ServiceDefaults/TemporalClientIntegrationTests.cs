using Go1.Temporal;
using Microsoft.Extensions.Hosting;
using Temporalio.Client;

namespace Go1.Tests.ServiceDefaults;

public sealed class TemporalClientIntegrationTests
{
    private static IHost Build(params (string Key, string? Value)[] settings)
    {
        var builder = TestHost.Builder(settings);
        builder.AddTemporalClient("temporal");
        return builder.Build();
    }

    [Theory]
    [InlineData("localhost:7233", "localhost:7233")]
    [InlineData("http://temporal:7233", "temporal:7233")]
    [InlineData("tcp://10.0.0.5:7233", "10.0.0.5:7233")]
    public void Connection_string_becomes_a_host_and_port_target(string connectionString, string target) =>
        Assert.Equal(target, new TemporalClientSettings { ConnectionString = connectionString }.TargetHost);

    [Fact]
    public async Task Missing_connection_string_fails_at_start_with_a_clear_message()
    {
        using var host = Build();
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));
        Assert.Contains("ConnectionStrings:temporal", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Client_is_lazy_and_reports_unhealthy_while_temporal_is_unreachable()
    {
        using var host = Build(
            ("ConnectionStrings:temporal", $"127.0.0.1:{FreePort.Next()}"),
            ("Aspire:Temporal:Client:Namespace", "orders"));

        // Resolving must not connect: services start before Temporal is up.
        var client = host.Services.GetRequiredService<ITemporalClient>();
        Assert.Equal("orders", client.Options.Namespace);

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HealthStatus.Unhealthy, report.Entries["temporal-temporal"].Status);
    }
}
