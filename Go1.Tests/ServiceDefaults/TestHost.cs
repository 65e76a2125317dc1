using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Go1.Tests.ServiceDefaults;

internal static class TestHost
{
    /// <summary>A production-mode host builder with the given in-memory configuration.</summary>
    public static HostApplicationBuilder Builder(params (string Key, string? Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Production });
        builder.Configuration.AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, s.Value)));
        return builder;
    }
}
