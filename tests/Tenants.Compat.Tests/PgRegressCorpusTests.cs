using Tenants.Policy.Classification;
using Tenants.Policy.Lexing;
using Tenants.Policy.Rules;
using Xunit.Abstractions;

namespace Tenants.Compat.Tests;

/// <summary>
/// The statement analyser over every statement of PostgreSQL's regression suite (<c>sql/*.sql</c>, split as the proxy
/// splits query strings; psql's backslash meta-command lines are not SQL and are left out). No server needed.
/// </summary>
public sealed class PgRegressCorpusTests(ITestOutputHelper output)
{
    [Fact]
    public void Analyzer_EveryRegressStatement_NeverThrowsAndPlacesNearlyAll()
    {
        var directory = PgRegressSuite.LocateSqlDirectory();
        var kinds = new Dictionary<StatementClass, int>();
        var unknown = new List<string>();
        var files = Directory.GetFiles(directory, "*.sql");
        var statements = 0;
        foreach (var file in files)
        {
            var text = string.Join('\n', File.ReadLines(file).Where(line => !line.StartsWith('\\')));
            foreach (var statement in SqlStatementSplitter.Split(text))
            {
                statements++;
                var facts = StatementAnalyzer.Analyze(statement);
                Assert.Equal(facts.Kind, StatementClassifier.Classify(statement));
                kinds[facts.Kind] = kinds.GetValueOrDefault(facts.Kind) + 1;
                if (facts.Kind == StatementClass.Unknown)
                {
                    unknown.Add($"{Path.GetFileName(file)}: {Shorten(statement)}");
                }
            }
        }

        output.WriteLine($"{files.Length} files, {statements} statements: " + string.Join(", ", kinds.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value}")));
        foreach (var line in unknown.Take(40))
        {
            output.WriteLine("unknown: " + line);
        }

        Assert.True(files.Length > 100, $"only {files.Length} regress sql files in {directory}");
        Assert.True(statements > 10_000, $"only {statements} statements in {directory}");

        // What stays unknown is psql input that is not a statement (lines continuing a meta-command, deliberate syntax errors).
        Assert.True(unknown.Count * 200 < statements, $"{unknown.Count} of {statements} statements unknown; first:\n{string.Join('\n', unknown.Take(40))}");
    }

    private static string Shorten(string sql)
    {
        var line = sql.ReplaceLineEndings(" ");
        return line.Length <= 160 ? line : line[..160] + "...";
    }
}
