using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Tenants.Policy.Classification;
using Tenants.Policy.Rules;
using Tenants.Testing;

namespace Tenants.Compat.Tests;

/// <summary>
/// The statement analyser against the server: for every statement of the suite that ran through the proxy and got a
/// CommandComplete, the analyser's command is the tag's command (the tag without its row counts) and its kind is the one
/// the tag implies. Systematic exceptions, each where the server's tag does not say what the text is:
/// <list type="bullet">
/// <item>CREATE TABLE AS, SELECT INTO and CREATE MATERIALIZED VIEW complete with <c>SELECT n</c>; the analyser names
/// them as PostgreSQL's cmdtaglist does (and they are DDL).</item>
/// <item>EXECUTE completes with the tag of the prepared statement it ran; the analyser says EXECUTE (kind other).</item>
/// <item>COMMIT (or END) in a failed transaction completes with ROLLBACK.</item>
/// <item>A SELECT whose WITH holds an INSERT/UPDATE/DELETE/MERGE is a write; EXPLAIN ANALYZE of a write or DDL runs it
/// and takes its kind; COPY's tag does not say its direction, so either read or write agrees.</item>
/// <item>A SELECT that calls a function which writes is a read by its text, as its tag says: that agrees.</item>
/// </list>
/// </summary>
public sealed partial class PgRegressTests
{
    private async Task AssertAnalyzerAgreesWithServerAsync(long newestIndex)
    {
        using var api = fixture.Api();
        const string query = "/api/v1/events?kind=statement&database=regression&sort=time&limit=1000";
        await Eventually.MatchAsync(
            () => api.GetFromJsonAsync<JsonElement>(query),
            page => page.TryGetProperty("indexedSize", out var size) && size.ValueKind == JsonValueKind.Number && size.GetInt64() > newestIndex,
            TimeSpan.FromSeconds(120),
            page => $"the search index did not reach entry {newestIndex}: {Truncate(page.ToString())}");

        var checkedCount = 0;
        var disagreements = new Dictionary<string, (int Count, string Sample)>();
        string? cursor = null;
        do
        {
            var page = await api.GetFromJsonAsync<JsonElement>(cursor is null ? query : $"{query}&cursor={Uri.EscapeDataString(cursor)}");
            foreach (var item in page.GetProperty("items").EnumerateArray())
            {
                var sql = item.TryGetProperty("sql", out var s) ? s.GetString() : null;
                var tag = item.TryGetProperty("commandTag", out var t) ? t.GetString() : null;
                var protocol = item.TryGetProperty("protocol", out var p) ? p.GetString() : null;
                if (sql is null || tag is null || tag.Contains(';', StringComparison.Ordinal) || protocol == "function-call")
                {
                    continue;
                }

                checkedCount++;
                var facts = StatementAnalyzer.Analyze(sql);
                var problem = Disagreement(TagCommand().Replace(tag, string.Empty), facts);
                if (problem is not null)
                {
                    var entry = disagreements.GetValueOrDefault(problem, (Count: 0, Sample: sql));
                    disagreements[problem] = (entry.Count + 1, entry.Sample);
                }
            }

            cursor = page.TryGetProperty("cursor", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
        }
        while (cursor is not null);

        output.WriteLine($"analyser: {checkedCount} statements with a CommandComplete checked, {disagreements.Values.Sum(d => d.Count)} disagree");
        var report = string.Join('\n', disagreements.OrderByDescending(d => d.Value.Count).Take(40)
            .Select(d => $"{d.Value.Count} x {d.Key}: {Shorten(d.Value.Sample)}"));
        output.WriteLine(report);
        Assert.True(checkedCount > 10_000, $"only {checkedCount} regression statements with a tag reached the index");
        Assert.True(disagreements.Count == 0, $"the analyser disagrees with the server's command tags:\n{report}");
    }

    /// <summary>Null when the analyser's facts agree with the server's tag command, else what differs.</summary>
    private static string? Disagreement(string tag, StatementFacts facts)
    {
        var command = facts.Command;
        var commandAgrees = command == tag
            || command == "EXECUTE"
            || (tag == "SELECT" && command is "CREATE TABLE AS" or "SELECT INTO" or "CREATE MATERIALIZED VIEW")
            || (tag == "ROLLBACK" && command == "COMMIT");
        if (!commandAgrees)
        {
            return $"tag {tag}, analyser {command}";
        }

        var expected = KindOf(command == "EXECUTE" ? "EXECUTE" : command);
        var kindAgrees = facts.Kind == expected
            || (command == "COPY" && facts.Kind is StatementClass.Read or StatementClass.Write)
            || (command == "EXPLAIN" && facts.Kind is StatementClass.Write or StatementClass.Ddl)
            || (command == "SELECT" && facts.Kind == StatementClass.Write && facts.DataModifyingCte);
        return kindAgrees ? null : $"tag {tag} ({command}): kind {facts.Kind}, expected {expected}";
    }

    /// <summary>The kind a command tag implies, written out independently of the analyser's tables.</summary>
    private static StatementClass KindOf(string command) => command switch
    {
        "SELECT" or "SHOW" or "FETCH" or "EXPLAIN" => StatementClass.Read,
        "INSERT" or "UPDATE" or "DELETE" or "MERGE" or "COPY" or "TRUNCATE TABLE" or "REFRESH MATERIALIZED VIEW" => StatementClass.Write,
        "GRANT" or "REVOKE" or "GRANT ROLE" or "REVOKE ROLE" or "REASSIGN OWNED" or "DROP OWNED" or "ALTER DEFAULT PRIVILEGES" => StatementClass.Dcl,
        "CREATE ROLE" or "ALTER ROLE" or "DROP ROLE" => StatementClass.Dcl,
        "BEGIN" or "START TRANSACTION" or "COMMIT" or "ROLLBACK" or "SAVEPOINT" or "RELEASE" or "PREPARE TRANSACTION" or "COMMIT PREPARED"
            or "ROLLBACK PREPARED" => StatementClass.Tcl,
        "ALTER SYSTEM" => StatementClass.Other,
        "COMMENT" or "SECURITY LABEL" or "REINDEX" or "IMPORT FOREIGN SCHEMA" or "SELECT INTO" => StatementClass.Ddl,
        _ when command.StartsWith("CREATE ", StringComparison.Ordinal) || command.StartsWith("ALTER ", StringComparison.Ordinal)
            || command.StartsWith("DROP ", StringComparison.Ordinal) => StatementClass.Ddl,
        _ => StatementClass.Other,
    };

    private static string Shorten(string sql)
    {
        var line = sql.ReplaceLineEndings(" ");
        return line.Length <= 200 ? line : line[..200] + "...";
    }

    /// <summary>The row counts at the end of a tag: <c>INSERT 0 1</c>, <c>SELECT 3</c>.</summary>
    [GeneratedRegex(@"( \d+)+$")]
    private static partial Regex TagCommand();
}
