using Go1.ServiceDefaults.Temporal;
using Temporalio.Client;
using Temporalio.Testing;

[assembly: AssemblyFixture(typeof(Go1.Tests.Saga.TemporalTestServer))]

namespace Go1.Tests.Saga;

/// <summary>
/// A real Temporal server for the workflow tests, when one can be had: <c>TEMPORAL_ADDRESS</c> (host:port of a
/// running server, namespace <c>TEMPORAL_NAMESPACE</c> or <c>default</c>), or the Temporal CLI's dev server from
/// <c>TEMPORAL_CLI_PATH</c> (the SDK would otherwise download it, which needs internet). Without either, the
/// workflow tests skip and say why.
/// </summary>
public sealed class TemporalTestServer : IAsyncLifetime
{
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
                Unavailable = "No Temporal server: set TEMPORAL_ADDRESS to a running server (e.g. `temporal server start-dev`) or TEMPORAL_CLI_PATH to the Temporal CLI.";
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or Temporalio.Exceptions.RpcException or IOException or System.ComponentModel.Win32Exception)
        {
            Unavailable = $"Temporal server unreachable: {ex.Message}";
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
