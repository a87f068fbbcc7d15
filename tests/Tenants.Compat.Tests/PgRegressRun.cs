namespace Tenants.Compat.Tests;

/// <summary>
/// What one run of <c>pg_regress</c> reported: the summary line's counts, the tests it marked as failed, and the head of
/// <c>regression.diffs</c> when there is one.
/// </summary>
/// <param name="Target">A name for what the run was pointed at (<c>direct</c>, <c>proxy</c>).</param>
/// <param name="ExitCode">pg_regress's exit code (0 when every test passed).</param>
/// <param name="Output">Everything pg_regress printed.</param>
/// <param name="Elapsed">Wall time of the run.</param>
/// <param name="Total">Tests run, from the summary line; null when there was no summary.</param>
/// <param name="Failed">Tests failed, from the summary line; null when there was no summary.</param>
/// <param name="FailedTests">Names of the tests marked FAILED.</param>
/// <param name="DiffsHead">The first lines of <c>regression.diffs</c>, or an empty string.</param>
/// <param name="OutputDirectory">Where the results and diffs are (kept when the run failed).</param>
public sealed record PgRegressRun(
    string Target,
    int ExitCode,
    string Output,
    TimeSpan Elapsed,
    int? Total,
    int? Failed,
    IReadOnlyList<string> FailedTests,
    string DiffsHead,
    string OutputDirectory)
{
    /// <summary>Whether pg_regress ran <paramref name="expectedTests"/> tests and every one passed.</summary>
    public bool AllPassed(int expectedTests) => ExitCode == 0 && Failed == 0 && Total == expectedTests && FailedTests.Count == 0;

    /// <summary>A report for an assertion message: the summary, the failed tests, the diffs head and the output tail.</summary>
    public string Describe()
    {
        var summary = Total is null ? "no summary line" : $"{Failed} of {Total} tests failed";
        var failed = FailedTests.Count == 0 ? "(none marked FAILED)" : string.Join(", ", FailedTests);
        return $"""
            pg_regress {Target}: exit code {ExitCode}, {summary}, {Elapsed.TotalSeconds:F0} s.
            Failed tests: {failed}
            Results kept in: {OutputDirectory}
            --- regression.diffs (head) ---
            {DiffsHead}
            --- pg_regress output (tail) ---
            {Tenants.Testing.ProcessRunner.Tail(Output, 40)}
            """;
    }
}
