namespace Tenants.Infra.Tests;

/// <summary>The checkout the tests run from: the first directory above the test's base directory with Tenants.sln.</summary>
internal static class RepositoryRoot
{
    private static readonly Lazy<string> Root = new(Find);

    public static string Path => Root.Value;

    public static string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "Tenants.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Tenants.sln above {AppContext.BaseDirectory}.");
    }
}
