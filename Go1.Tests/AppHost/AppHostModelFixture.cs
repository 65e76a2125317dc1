using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

namespace Go1.Tests.AppHost;

/// <summary>
/// Builds (never starts) the real AppHost once, so tests can read its resource model without Docker.
/// </summary>
public sealed class AppHostModelFixture : IAsyncLifetime
{
    private DistributedApplication? _app;

    public DistributedApplicationModel Model { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        // The model a machine with a container runtime gets (this one may have none: then volumes are left out).
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Go1_AppHost>(
            [$"--{Go1.AppHost.ContainerRuntime.AssumeKey}=true"], TestContext.Current.CancellationToken);
        _app = await builder.BuildAsync(TestContext.Current.CancellationToken);
        Model = _app.Services.GetRequiredService<DistributedApplicationModel>();
    }

    public IResource Resource(string name) =>
        Model.Resources.SingleOrDefault(r => r.Name == name)
        ?? throw new Xunit.Sdk.XunitException($"The AppHost declares no resource named '{name}'. It has: {string.Join(", ", Model.Resources.Select(r => r.Name))}");

    /// <summary>Environment variables the resource would get, resolved for publishing (no running containers needed).</summary>
    public async Task<IReadOnlyDictionary<string, string>> EnvironmentAsync(string name) =>
        (await ExecutionConfigurationAsync(name)).EnvironmentVariables.ToDictionary(kv => kv.Key, kv => kv.Value);

    /// <summary>Command-line arguments the resource would get.</summary>
    public async Task<IReadOnlyList<string>> ArgumentsAsync(string name) =>
        (await ExecutionConfigurationAsync(name)).Arguments.Select(a => a.Value).ToArray();

    private Task<IExecutionConfigurationResult> ExecutionConfigurationAsync(string name)
    {
        var executionContext = new DistributedApplicationExecutionContext(new DistributedApplicationExecutionContextOptions(DistributedApplicationOperation.Publish)
        {
            Services = _app!.Services,
        });
        return ExecutionConfigurationBuilder.Create(Resource(name))
            .WithEnvironmentVariablesConfig()
            .WithArgumentsConfig()
            .BuildAsync(executionContext, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
