namespace Tenants.Testing;

/// <summary>Well-known folders for tests: the repository checkout and the shared folder beside it.</summary>
public static class TestPaths
{
    private const string SolutionFileName = "Tenants.sln";

    private static readonly Lazy<string> _repoRoot = new(FindRepoRoot);

    /// <summary>The folder holding <c>Tenants.sln</c>, found by walking up from the test assembly's folder.</summary>
    public static string RepoRoot => _repoRoot.Value;

    /// <summary>The shared folder next to the checkout (<c>RepoRoot/../shared</c>).</summary>
    public static string SharedRoot => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));

    private static string FindRepoRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, SolutionFileName)))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException(
            $"Could not find {SolutionFileName} in '{AppContext.BaseDirectory}' or any folder above it; tests must run from a checkout of the repository.");
    }
}
