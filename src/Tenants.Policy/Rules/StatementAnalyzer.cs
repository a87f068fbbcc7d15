using Tenants.Policy.Classification;

namespace Tenants.Policy.Rules;

/// <summary>Turns SQL text into <see cref="StatementFacts"/>. Never throws; unknown input gives <see cref="StatementFacts.Unknown"/>.</summary>
public static class StatementAnalyzer
{
    /// <summary>The facts of the first statement in <paramref name="sql"/> (placeholder: keyword level only; issue 7 replaces it).</summary>
    public static StatementFacts Analyze(string? sql)
    {
        if (string.IsNullOrEmpty(sql))
        {
            return StatementFacts.Unknown;
        }

        var kind = StatementClassifier.Classify(sql);
        if (kind == StatementClass.Unknown)
        {
            return StatementFacts.Unknown;
        }

        return new StatementFacts { Kind = kind, Command = StatementClassifier.LeadingKeyword(sql).ToString().ToUpperInvariant() };
    }
}
