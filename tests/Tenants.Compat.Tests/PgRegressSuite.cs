using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Tenants.Testing;

namespace Tenants.Compat.Tests;

/// <summary>
/// PostgreSQL's core regression suite as built by <c>compat/build-pg-regress.sh</c>: <c>pg_regress</c>, <c>regress.so</c>
/// and the <c>parallel_schedule</c>, for the same server version the test clusters run. Runs it against any host and port,
/// as the server's OS user (the tests write server-side <c>COPY ... TO</c> files into the output folder).
/// </summary>
public sealed partial class PgRegressSuite
{
    /// <summary>Written by the build script: where the suite is and which server it was built for.</summary>
    public const string BuildEnvFile = ".dev/compat/build.env";

    private const string BuildCommand = "compat/build-pg-regress.sh";
    private const int DiffsHeadLines = 120;

    private PgRegressSuite(string regressDirectory, string version, int scheduledTests)
    {
        RegressDirectory = regressDirectory;
        Version = version;
        ScheduledTests = scheduledTests;
    }

    /// <summary>The built <c>src/test/regress</c> folder.</summary>
    public string RegressDirectory { get; }

    /// <summary>The PostgreSQL version the suite comes from (e.g. 15.18).</summary>
    public string Version { get; }

    /// <summary>How many tests <c>parallel_schedule</c> lists (217 for PostgreSQL 15).</summary>
    public int ScheduledTests { get; }

    private string Schedule => Path.Combine(RegressDirectory, "parallel_schedule");

    /// <summary>
    /// Finds the suite the build script made and checks it matches the server in <paramref name="serverBinDirectory"/>.
    /// Throws, saying how to build it, when it is missing or built for another version: this gate never skips.
    /// </summary>
    public static async Task<PgRegressSuite> LocateAsync(string serverBinDirectory, CancellationToken cancellationToken = default)
    {
        var envFile = Path.Combine(TestPaths.RepoRoot, BuildEnvFile);
        if (!File.Exists(envFile))
        {
            throw new InvalidOperationException(
                $"pg_regress is not built: '{envFile}' does not exist. Run '{BuildCommand}' (./dev test runs it) in '{TestPaths.RepoRoot}' first.");
        }

        var settings = (await File.ReadAllLinesAsync(envFile, cancellationToken))
            .Where(line => line.Length > 0 && line[0] != '#' && line.Contains('=', StringComparison.Ordinal))
            .Select(line => line.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
        var directory = settings.GetValueOrDefault("REGRESS_DIR") ?? string.Empty;
        var builtFor = settings.GetValueOrDefault("PG_VERSION") ?? string.Empty;
        foreach (var file in new[] { "pg_regress", "regress.so", "parallel_schedule" })
        {
            if (!File.Exists(Path.Combine(directory, file)))
            {
                throw new InvalidOperationException(
                    $"pg_regress is not built: '{Path.Combine(directory, file)}' (from {envFile}) does not exist. Run '{BuildCommand}' again.");
            }
        }

        var serverVersion = await ServerVersionAsync(serverBinDirectory, cancellationToken);
        if (serverVersion != builtFor)
        {
            throw new InvalidOperationException(
                $"pg_regress was built for PostgreSQL {builtFor} but the test servers run {serverVersion} ({serverBinDirectory}). Run '{BuildCommand}' again.");
        }

        var scheduled = (await File.ReadAllLinesAsync(Path.Combine(directory, "parallel_schedule"), cancellationToken))
            .Where(line => line.StartsWith("test:", StringComparison.Ordinal))
            .Sum(line => line["test:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
        return new PgRegressSuite(directory, builtFor, scheduled);
    }

    /// <summary>
    /// Runs <c>parallel_schedule</c> with up to 20 tests at once against <paramref name="host"/>:<paramref name="port"/> as the
    /// <c>postgres</c> superuser. pg_regress drops and creates the <c>regression</c> database itself.
    /// </summary>
    public async Task<PgRegressRun> RunAsync(
        string target, string bindir, string host, int port, string password, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var outputDirectory = Directory.CreateTempSubdirectory($"tenants-pg-regress-{target}-").FullName;
        if (ProcessRunner.MustDropRoot)
        {
            var (chownExit, chownOutput) = await ProcessRunner.RunAsync(
                "chown", [$"{ProcessRunner.PostgresOsUser}:", outputDirectory], asPostgresUser: false, TimeSpan.FromSeconds(30), cancellationToken);
            if (chownExit != 0)
            {
                throw new InvalidOperationException($"chown of '{outputDirectory}' to the postgres user failed ({chownExit}): {chownOutput}");
            }
        }

        var info = ProcessRunner.StartInfo(
            Path.Combine(RegressDirectory, "pg_regress"),
            [
                $"--inputdir={RegressDirectory}", $"--outputdir={outputDirectory}", $"--dlpath={RegressDirectory}", $"--bindir={bindir}",
                $"--schedule={Schedule}", "--max-concurrent-tests=20",
                $"--host={host}", $"--port={port.ToString(CultureInfo.InvariantCulture)}", $"--user={PostgresServer.SuperuserName}",
            ],
            asPostgresUser: true);
        info.WorkingDirectory = outputDirectory;

        // pg_regress sets PGOPTIONS, PGAPPNAME, PGTZ, PGDATESTYLE itself; nothing else from our environment may reach psql.
        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("PG", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(name);
        }

        info.Environment["PGPASSWORD"] = password;

        var stopwatch = Stopwatch.StartNew();
        var result = await ProcessRunner.RunAsync(info, timeout, cancellationToken);
        stopwatch.Stop();
        var text = result.TimedOut ? result.Output + $"\n(killed: pg_regress did not finish within {timeout})" : result.Output;
        var run = Parse(target, result.ExitCode, text, stopwatch.Elapsed, outputDirectory);
        if (run.AllPassed(ScheduledTests))
        {
            TryDelete(outputDirectory);
        }

        return run;
    }

    private static PgRegressRun Parse(string target, int exitCode, string output, TimeSpan elapsed, string outputDirectory)
    {
        int? total = null;
        int? failed = null;
        var allPassed = AllPassedLine().Match(output);
        var someFailed = SomeFailedLine().Match(output);
        if (allPassed.Success)
        {
            total = int.Parse(allPassed.Groups["total"].Value, CultureInfo.InvariantCulture);
            failed = 0;
        }
        else if (someFailed.Success)
        {
            total = int.Parse(someFailed.Groups["total"].Value, CultureInfo.InvariantCulture);
            failed = int.Parse(someFailed.Groups["failed"].Value, CultureInfo.InvariantCulture);
        }

        var failedTests = FailedTestLine().Matches(output).Select(m => m.Groups["name"].Value).ToList();
        var diffs = Path.Combine(outputDirectory, "regression.diffs");
        var diffsHead = string.Empty;
        try
        {
            if (File.Exists(diffs))
            {
                diffsHead = string.Join('\n', File.ReadLines(diffs).Take(DiffsHeadLines));
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            diffsHead = $"(cannot read {diffs}: {ex.Message})";
        }

        return new PgRegressRun(target, exitCode, output, elapsed, total, failed, failedTests, diffsHead, outputDirectory);
    }

    private static async Task<string> ServerVersionAsync(string binDirectory, CancellationToken cancellationToken)
    {
        var (exitCode, output) = await ProcessRunner.RunAsync(
            Path.Combine(binDirectory, "postgres"), ["--version"], asPostgresUser: false, TimeSpan.FromSeconds(30), cancellationToken);
        var match = ServerVersionLine().Match(output);
        return exitCode == 0 && match.Success
            ? match.Groups["version"].Value
            : throw new InvalidOperationException($"cannot read the server version from '{binDirectory}/postgres --version' (exit code {exitCode}): {output}");
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A leftover temp folder is not worth failing a test over.
        }
    }

    [GeneratedRegex(@"All (?<total>\d+) tests passed")]
    private static partial Regex AllPassedLine();

    [GeneratedRegex(@"(?<failed>\d+) of (?<total>\d+) tests failed")]
    private static partial Regex SomeFailedLine();

    // "test tablespace ... FAILED   120 ms" or, inside a parallel group, "     boolean   ... FAILED   80 ms".
    [GeneratedRegex(@"^\s*(?:test\s+)?(?<name>\S+)\s+\.\.\.\s+FAILED", RegexOptions.Multiline)]
    private static partial Regex FailedTestLine();

    [GeneratedRegex(@"^postgres \(PostgreSQL\) (?<version>\d+(?:\.\d+)*)")]
    private static partial Regex ServerVersionLine();
}
