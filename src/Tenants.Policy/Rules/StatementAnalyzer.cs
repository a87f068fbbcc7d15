using Tenants.Policy.Classification;
using Tenants.Policy.Lexing;

namespace Tenants.Policy.Rules;

/// <summary>
/// Turns SQL text into <see cref="StatementFacts"/> by reading PostgreSQL's lexical structure (comments, every kind of
/// quote, dollar quoting) and the grammar around commands, tables and CTEs; not a full parser (docs/policy.md, "SQL
/// analysis", lists what it recognises). Never throws and runs in time linear in the input; unknown input gives
/// <see cref="StatementFacts.Unknown"/>, unterminated quotes or comments and unbalanced parentheses give
/// <see cref="StatementFacts.Parsed"/> false.
/// </summary>
public static class StatementAnalyzer
{
    /// <summary>
    /// The facts of the first statement in <paramref name="sql"/> (up to its top-level semicolon). A simple-protocol query
    /// string may hold several statements: use <see cref="AnalyzeAll"/> for those.
    /// </summary>
    public static StatementFacts Analyze(string? sql) => string.IsNullOrEmpty(sql) ? StatementFacts.Unknown : StatementParser.Run(sql, kindOnly: false);

    /// <summary>The facts of each statement of a (simple-protocol) query string, in order; empty when it holds none.</summary>
    public static IReadOnlyList<StatementFacts> AnalyzeAll(string? sql)
    {
        if (string.IsNullOrEmpty(sql))
        {
            return [];
        }

        var ranges = SqlStatementSplitter.Ranges(sql);
        var facts = new StatementFacts[ranges.Count];
        for (var i = 0; i < ranges.Count; i++)
        {
            facts[i] = StatementParser.Run(sql.AsSpan(ranges[i].Start, ranges[i].Length), kindOnly: false);
        }

        return facts;
    }
}
