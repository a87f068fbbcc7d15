using Tenants.Testing;

namespace Tenants.Compat.Tests;

public sealed partial class PgRegressSuite
{
    /// <summary>
    /// The suite's <c>sql/</c> folder (its statements, for the analyser's corpus test), from the build script's
    /// <c>build.env</c>. Throws, saying how to build it, when it is missing: the corpus test never skips.
    /// </summary>
    public static string LocateSqlDirectory()
    {
        var envFile = Path.Combine(TestPaths.RepoRoot, BuildEnvFile);
        if (!File.Exists(envFile))
        {
            throw new InvalidOperationException(
                $"pg_regress is not built: '{envFile}' does not exist. Run '{BuildCommand}' (./dev test runs it) in '{TestPaths.RepoRoot}' first.");
        }

        var directory = File.ReadLines(envFile)
            .Where(line => line.StartsWith("REGRESS_DIR=", StringComparison.Ordinal))
            .Select(line => line["REGRESS_DIR=".Length..])
            .FirstOrDefault() ?? string.Empty;
        var sql = Path.Combine(directory, "sql");
        return Directory.Exists(sql)
            ? sql
            : throw new InvalidOperationException($"pg_regress is not built: '{sql}' (from {envFile}) does not exist. Run '{BuildCommand}' again.");
    }
}
