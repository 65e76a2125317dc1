namespace Go1.Tests;

/// <summary>The checkout's root: the nearest folder above the test binaries that holds Go1.sln.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Go1.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Go1.sln above {AppContext.BaseDirectory}.");
    }
}
