namespace Tenants.Ledger.Tests;

/// <summary>Finds shared data that lives next to the repository, never copied into it.</summary>
internal static class RepositoryPaths
{
    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Tenants.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException("Tenants.sln not found above " + AppContext.BaseDirectory);
        }
    }

    public static string ProofVectors => Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "vectors", "rfc6962-proofs"));
}
