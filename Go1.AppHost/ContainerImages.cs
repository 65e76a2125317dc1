namespace Go1.AppHost;

/// <summary>
/// <c>dotnet run --project Go1.AppHost -- --images</c> prints every container image the AppHost runs, pinned
/// (<c>registry/image:tag</c>), one a line, so a first run can pull them all beforehand:
/// <c>dotnet run --project Go1.AppHost --no-launch-profile -- --images | xargs -n1 docker pull</c>.
/// </summary>
public static class ContainerImages
{
    public const string ListArgument = "--images";

    public static IEnumerable<string> Of(IEnumerable<IResource> resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        return resources
            .SelectMany(r => r.Annotations.OfType<ContainerImageAnnotation>())
            .Select(i => $"{(i.Registry is { } registry ? registry + "/" : string.Empty)}{i.Image}:{i.Tag ?? throw Untagged(i)}")
            .Distinct()
            .Order(StringComparer.Ordinal);
    }

    // An untagged image would be pulled as whatever its latest is today: refuse to list it rather than print a guess.
    private static InvalidOperationException Untagged(ContainerImageAnnotation image) =>
        new($"Container image '{image.Image}' has no tag: pin one in the AppHost.");
}
