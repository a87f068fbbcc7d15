namespace Tenants.Testing;

/// <summary>Finds the PostgreSQL server and client programs installed on this machine.</summary>
internal static class PostgresBinaries
{
    private const string DebianRoot = "/usr/lib/postgresql";

    /// <summary>
    /// The folder with <c>initdb</c>, <c>pg_ctl</c>, <c>postgres</c>, <c>psql</c> and <c>pgbench</c>: <c>TENANTS_PG_BIN</c> if set,
    /// else the real folder behind a PATH entry that has <c>pg_ctl</c> and <c>initdb</c>, else the newest <c>/usr/lib/postgresql/*/bin</c>; null when none.
    /// </summary>
    public static string? FindBinDirectory()
    {
        var configured = Environment.GetEnvironmentVariable("TENANTS_PG_BIN");
        if (!string.IsNullOrEmpty(configured))
        {
            return HasServer(configured) ? configured : null;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var entry in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            if (HasServer(entry))
            {
                // PATH often holds symlinks (/usr/local/bin/pg_ctl -> /usr/lib/postgresql/15/bin/pg_ctl); the real folder also has psql and pgbench.
                var pgCtl = new FileInfo(Path.Combine(entry, "pg_ctl"));
                var target = pgCtl.ResolveLinkTarget(returnFinalTarget: true);
                return Path.GetDirectoryName(target?.FullName ?? pgCtl.FullName) ?? entry;
            }
        }

        if (!Directory.Exists(DebianRoot))
        {
            return null;
        }

        return Directory.EnumerateDirectories(DebianRoot)
            .Select(version => (Major: int.TryParse(Path.GetFileName(version), out var major) ? major : -1, Bin: Path.Combine(version, "bin")))
            .Where(candidate => candidate.Major >= 0 && HasServer(candidate.Bin))
            .OrderByDescending(candidate => candidate.Major)
            .Select(candidate => candidate.Bin)
            .FirstOrDefault();
    }

    private static bool HasServer(string directory) =>
        File.Exists(Path.Combine(directory, "pg_ctl"))
        && File.Exists(Path.Combine(directory, "initdb"))
        && File.Exists(Path.Combine(directory, "postgres"));
}
