using Go1.Temporal;
using Temporalio.Client;
using Temporalio.Testing;

[assembly: AssemblyFixture(typeof(Go1.Tests.Saga.TemporalTestServer))]

namespace Go1.Tests.Saga;

/// <summary>
/// A real Temporal server for the workflow tests, when one can be had: <c>TEMPORAL_ADDRESS</c> (host:port of a
/// running server, namespace <c>TEMPORAL_NAMESPACE</c> or <c>default</c>), the Temporal CLI's dev server from
/// <c>TEMPORAL_CLI_PATH</c>, or else the dev server the SDK downloads (needs internet). Without any, the workflow
/// tests skip and say why; the replay tests run the same workflow code without a server either way.
/// </summary>
public sealed class TemporalTestServer : IAsyncLifetime
{
    private static readonly TimeSpan DownloadTimeout = TimeSpan.FromSeconds(60);
    private WorkflowEnvironment? _environment;

    public ITemporalClient? Client { get; private set; }

    public string? Unavailable { get; private set; }

    public async ValueTask InitializeAsync()
    {
        try
        {
            if (Environment.GetEnvironmentVariable("TEMPORAL_ADDRESS") is { Length: > 0 } address)
            {
                Client = await TemporalClient.ConnectAsync(new(address)
                {
                    Namespace = Environment.GetEnvironmentVariable("TEMPORAL_NAMESPACE") ?? "default",
                    Interceptors = [new TemporalTracingInterceptor()], // as the services connect
                });
            }
            else if (Environment.GetEnvironmentVariable("TEMPORAL_CLI_PATH") is { Length: > 0 } cli)
            {
                _environment = await WorkflowEnvironment.StartLocalAsync(new() { DevServerOptions = new() { ExistingPath = cli }, Interceptors = [new TemporalTracingInterceptor()] });
                Client = _environment.Client;
            }
            else
            {
                using var timeout = new CancellationTokenSource(DownloadTimeout);
                _environment = await WorkflowEnvironment.StartLocalAsync(new() { Interceptors = [new TemporalTracingInterceptor()] }).WaitAsync(timeout.Token);
                Client = _environment.Client;
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or Temporalio.Exceptions.RpcException or IOException
            or System.ComponentModel.Win32Exception or OperationCanceledException or System.Net.Http.HttpRequestException)
        {
            Unavailable = "No Temporal server: set TEMPORAL_ADDRESS to a running server (e.g. `temporal server start-dev`) or TEMPORAL_CLI_PATH " +
                $"to the Temporal CLI; the SDK could not start one itself ({ex.GetType().Name}: {ex.Message}).";
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_environment is not null)
        {
            await _environment.ShutdownAsync();
        }
    }

    /// <summary>The client, or a visible skip with the reason.</summary>
    public ITemporalClient Require()
    {
        if (Client is null)
        {
            Assert.Skip(Unavailable ?? "No Temporal server.");
        }

        return Client;
    }
}
