namespace Go1.Tests.AppHost;

/// <summary>azd-style deployment starts from the manifest; it must list every deployable resource.</summary>
public sealed class ManifestPublishingTests
{
    private const string Configuration =
#if DEBUG
        "Debug";
#else
        "Release";
#endif

    [Fact]
    public async Task Manifest_publishing_lists_every_deployable_resource()
    {
        var output = Directory.CreateTempSubdirectory("go1-manifest-");
        try
        {
            var manifestPath = Path.Combine(output.FullName, "aspire-manifest.json");
            var run = await ProcessRunner.RunAsync("dotnet",
                ["run", "--project", Path.Combine(RepositoryRoot.Path, "Go1.AppHost"), "--no-build", "-c", Configuration,
                 "--", "--publisher", "manifest", "--output-path", manifestPath],
                RepositoryRoot.Path, cancellationToken: TestContext.Current.CancellationToken);
            Assert.True(run.ExitCode == 0, $"manifest publishing exited with {run.ExitCode}:\n{run.Output}");

            using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(manifestPath, TestContext.Current.CancellationToken));
            var resources = manifest.RootElement.GetProperty("resources");
            string TypeOf(string name) =>
                resources.TryGetProperty(name, out var resource) ? resource.GetProperty("type").GetString()! : $"<missing; manifest has {string.Join(", ", resources.EnumerateObject().Select(p => p.Name))}>";

            foreach (var container in new[] { "postgres", "redis", "kafka", "debezium", "temporal", "jaeger", "prometheus", "grafana" })
            {
                Assert.Equal((container, "container.v0"), (container, TypeOf(container)));
            }

            foreach (var project in new[] { "orderapi", "orderworker", "cdcsync", "migrations" })
            {
                Assert.Equal((project, "project.v0"), (project, TypeOf(project)));
            }

            Assert.Equal("{go1.connectionString}", resources.GetProperty("orderapi").GetProperty("env").GetProperty("ConnectionStrings__go1").GetString());
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }
}
