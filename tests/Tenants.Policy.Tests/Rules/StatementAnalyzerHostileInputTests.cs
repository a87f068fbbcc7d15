using Tenants.Policy.Classification;
using Tenants.Policy.Rules;

namespace Tenants.Policy.Tests.Rules;

/// <summary>Input built to hurt: deep nesting, huge literals, unterminated quotes. Sizes, not timings.</summary>
public sealed class StatementAnalyzerHostileInputTests
{
    [Fact]
    public void Analyze_HundredThousandNestedParentheses_AnswersWithoutOverflow()
    {
        var sql = "select " + new string('(', 100_000) + "1" + new string(')', 100_000);

        var facts = StatementAnalyzer.Analyze(sql);

        Assert.Equal("SELECT", facts.Command);
        Assert.True(facts.Parsed);
    }

    [Fact]
    public void Analyze_RelationHiddenAtDepthBeyondSixtyFour_IsStillFound()
    {
        var sql = "select * from " + string.Concat(Enumerable.Repeat("(select * from ", 200)) + "secret" + new string(')', 200);

        Assert.Contains("secret", StatementAnalyzer.Analyze(sql).Relations);
    }

    [Fact]
    public void Analyze_HundredThousandUnclosedParentheses_IsUnparsed()
    {
        var facts = StatementAnalyzer.Analyze("select " + new string('(', 100_000));

        Assert.False(facts.Parsed);
    }

    [Fact]
    public void Analyze_TenMegabyteString_IsOneLiteral()
    {
        var sql = "insert into t values ('" + new string('x', 10_000_000) + "')";

        var facts = StatementAnalyzer.Analyze(sql);

        Assert.Equal("INSERT", facts.Command);
        Assert.Equal(["t"], facts.Relations);
        Assert.True(facts.Parsed);
    }

    [Fact]
    public void Analyze_TenMegabyteUnterminatedQuote_IsUnparsed()
    {
        var facts = StatementAnalyzer.Analyze("select '" + new string('x', 10_000_000));

        Assert.False(facts.Parsed);
    }

    [Fact]
    public void Analyze_ManyNestedWithClauses_Answers()
    {
        var sql = string.Concat(Enumerable.Repeat("with x as (", 50_000)) + "select 1" + new string(')', 50_000) + " select 1";

        Assert.Equal(StatementClass.Read, StatementAnalyzer.Analyze(sql).Kind);
    }

    [Fact]
    public void AnalyzeAll_HundredThousandStatements_GivesEach()
    {
        var sql = string.Concat(Enumerable.Repeat("select 1;", 100_000));

        Assert.Equal(100_000, StatementAnalyzer.AnalyzeAll(sql).Count);
    }

    [Fact]
    public void Analyze_RandomText_NeverThrows()
    {
        var random = new Random(11);
        var words = new[] { "select", "from", "with", "as", "(", ")", ",", "update", "delete", "where", "t", "'", "$$", "--", "/*", "*/", "\"", ";", "explain", "copy", "into", "join", "e'\\'", "." };
        for (var n = 0; n < 20_000; n++)
        {
            var sql = string.Join(' ', Enumerable.Range(0, random.Next(0, 30)).Select(_ => words[random.Next(words.Length)]));
            _ = StatementAnalyzer.AnalyzeAll(sql);
            _ = StatementAnalyzer.Analyze(sql);
        }
    }
}
