using System.Diagnostics;

namespace Go1.AppHost;

/// <summary>
/// Whether a container runtime answers before the AppHost asks one for anything. Without one, Aspire still runs the
/// dashboard and shows the containers waiting for the runtime, but a declared volume makes the host crash after a few
/// minutes (it waits for the volume, then throws): so volumes are declared only when a runtime answers, and a
/// newcomer gets one line saying what is missing instead of a stack trace.
/// </summary>
public sealed record ContainerRuntime(string Name, string? Problem)
{
    /// <summary>Skips the probe and assumes a runtime (tests that read the model a machine with Docker gets).</summary>
    public const string AssumeKey = "Go1:AssumeContainerRuntime";

    public bool Available => Problem is null;

    public static ContainerRuntime Detect(IDistributedApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // The same setting Aspire reads to pick its runtime.
        var name = builder.Configuration["ASPIRE_CONTAINER_RUNTIME"] ?? builder.Configuration["DOTNET_ASPIRE_CONTAINER_RUNTIME"] ?? "docker";
        if (builder.ExecutionContext.IsPublishMode || string.Equals(builder.Configuration[AssumeKey], "true", StringComparison.OrdinalIgnoreCase))
        {
            return new(name, null); // publishing runs nothing
        }

        return new(name, Probe(name));
    }

    /// <summary>The one line a newcomer reads when the runtime is missing.</summary>
    public string Advice =>
        $"Go1: no container runtime answers ({Name}: {Problem}). Start Docker or Podman and run again; until then the dashboard shows " +
        "PostgreSQL, Redis, Kafka, Temporal and the rest waiting for the runtime, and the services waiting for them.";

    private static string? Probe(string name)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(name, ["info", "--format", "{{.ServerVersion}}"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            }) ?? throw new InvalidOperationException($"{name} did not start");
            var error = process.StandardError.ReadToEndAsync();
            _ = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                process.Kill(entireProcessTree: true);
                return "no answer within 10 s";
            }

            return process.ExitCode == 0 ? null : FirstLine(error.Result) ?? $"exit code {process.ExitCode}";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "command not found";
        }
    }

    private static string? FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
}
