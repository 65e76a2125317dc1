using System.Net.Sockets;
using Testcontainers.Redis;

[assembly: AssemblyFixture(typeof(Go1.Tests.Servers.RedisServer))]

namespace Go1.Tests.Servers;

/// <summary>
/// One real Redis for the whole test run: <c>GO1_TEST_REDIS</c> (host:port), else a private
/// <c>redis-server</c> on a free port, else a Testcontainers container when a Docker engine answers.
/// Tests isolate themselves by key prefix. The private server can be stopped and started again
/// on the same port to test outages.
/// </summary>
public sealed class RedisServer : IAsyncLifetime
{
    public const string InstallHint = "apt-get install -y redis-server  (or set GO1_TEST_REDIS to host:port)";

    private Process? _process;
    private int _port;
    private string? _directory;
    private RedisContainer? _container;

    /// <summary>StackExchange.Redis configuration string.</summary>
    public string ConnectionString { get; private set; } = string.Empty;

    public async ValueTask InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable("GO1_TEST_REDIS") is { Length: > 0 } external)
        {
            ConnectionString = external;
        }
        else if (ProcessRunner.CommandExists("redis-server"))
        {
            _directory = Directory.CreateTempSubdirectory("go1-redis-").FullName;
            _port = FreePort.Next();
            await StartAsync();
            ConnectionString = $"127.0.0.1:{_port},abortConnect=false";
        }
        else if (await ProcessRunner.DockerEngineAvailableAsync())
        {
            _container = new RedisBuilder("redis:7.4").Build();
            await _container.StartAsync();
            ConnectionString = _container.GetConnectionString() + ",abortConnect=false";
        }
        else
        {
            throw new InvalidOperationException($"Tests need redis-server and none was found. Install it: {InstallHint}");
        }
    }

    /// <summary>Starts the private server (again) on its port and waits until it accepts connections.</summary>
    public async Task StartAsync()
    {
        if (_directory is null)
        {
            throw new InvalidOperationException("Only the private redis-server can be started and stopped.");
        }

        var start = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "--port", _port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", _directory })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", _port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                await Task.Delay(50);
            }
        }
    }

    /// <summary>Kills the private server, as an outage would.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process?.Dispose();
        if (_container is not null)
        {
            await _container.DisposeAsync();
        }

        if (_directory is not null)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
