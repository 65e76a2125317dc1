using Go1.AppHost.Debezium;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using IServer = Microsoft.AspNetCore.Hosting.Server.IServer;

namespace Go1.Tests.AppHost;

/// <summary>The AppHost's connector registration against a real HTTP server that answers as a starting Kafka Connect does.</summary>
public sealed class DebeziumConnectorRegistrationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Kafka Connect on a free port: answers the first <paramref name="refusals"/> PUTs 503, the rest 201.</summary>
    private static async Task<(WebApplication Connect, ConcurrentQueue<string> Bodies)> StartConnectAsync(int refusals)
    {
        var bodies = new ConcurrentQueue<string>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapPut("/connectors/{name}/config", async (string name, HttpRequest request) =>
        {
            bodies.Enqueue($"{name}:{await new StreamReader(request.Body).ReadToEndAsync()}");
            return bodies.Count <= refusals ? Results.Text("workers not ready", statusCode: 503) : Results.Created();
        });
        await app.StartAsync(Ct);
        return (app, bodies);
    }

    private static Uri Address(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single() + "/");

    [Fact]
    public async Task It_keeps_putting_the_connector_config_until_connect_accepts_it()
    {
        var (connect, bodies) = await StartConnectAsync(refusals: 2);
        await using var _ = connect;
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, """{"connector.class":"io.debezium.connector.postgresql.PostgresConnector"}""", Ct);
        var logs = new FakeLogger();

        Assert.True(await DebeziumConnectorRegistration.RegisterAsync(Address(connect), file, logs, Ct, TimeSpan.FromMilliseconds(10)));

        Assert.Equal(3, bodies.Count);
        var config = await File.ReadAllTextAsync(file, Ct);
        Assert.All(bodies, b => Assert.Equal($"{DebeziumConnectorRegistration.ConnectorName}:{config}", b));
        Assert.Equal([LogLevel.Warning, LogLevel.Warning, LogLevel.Information], logs.Collector.GetSnapshot().Select(r => r.Level));
        Assert.Contains("503: workers not ready (attempt 1)", logs.Collector.GetSnapshot()[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task It_gives_up_after_its_attempts_and_says_what_to_run()
    {
        var (connect, bodies) = await StartConnectAsync(refusals: int.MaxValue);
        await using var _ = connect;
        var file = Path.GetTempFileName();
        var logs = new FakeLogger();

        Assert.False(await DebeziumConnectorRegistration.RegisterAsync(Address(connect), file, logs, Ct, TimeSpan.FromMilliseconds(1)));

        Assert.Equal(DebeziumConnectorRegistration.MaxAttempts, bodies.Count);
        Assert.Equal(DebeziumConnectorRegistration.MaxAttempts, logs.Collector.GetSnapshot().Count(r => r.Message.Contains("workers not ready", StringComparison.Ordinal)));
        Assert.Contains("debezium/register", logs.LatestRecord.Message, StringComparison.Ordinal);
        Assert.Equal(LogLevel.Error, logs.LatestRecord.Level);
    }

    [Fact]
    public async Task A_connect_that_is_not_listening_yet_is_retried_too()
    {
        var logs = new FakeLogger();

        Assert.False(await DebeziumConnectorRegistration.RegisterAsync(new Uri("http://127.0.0.1:1/"), Path.GetTempFileName(), logs, Ct, TimeSpan.FromMilliseconds(1)));

        // Every attempt says why it failed, the last one too, before the one line that gives up.
        Assert.Equal(DebeziumConnectorRegistration.MaxAttempts, logs.Collector.GetSnapshot().Count(r => r.Message.Contains("not reachable yet", StringComparison.Ordinal)));
    }
}
