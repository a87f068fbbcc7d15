using Tenants.Policy.Lexing;

namespace Tenants.Policy.Classification;

/// <summary>
/// The kind of a statement, as the statement analyser (<see cref="Rules.StatementAnalyzer"/>) finds it, without the
/// relations and other facts: the same head reading (comments, EXPLAIN, WITH and its data-modifying CTEs, COPY's
/// direction, SELECT INTO), so durability and policy never disagree. Statements it cannot place are
/// <see cref="StatementClass.Unknown"/> rather than guessed.
/// </summary>
public static class StatementClassifier
{
    /// <summary>The class of the first statement in <paramref name="sql"/>.</summary>
    public static StatementClass Classify(ReadOnlySpan<char> sql) => sql.IsEmpty ? StatementClass.Unknown : StatementParser.Run(sql, kindOnly: true).Kind;

    /// <summary>The first word after whitespace, comments and opening parentheses, or empty.</summary>
    public static ReadOnlySpan<char> LeadingKeyword(ReadOnlySpan<char> sql)
    {
        var lexer = new SqlLexer(sql);
        while (lexer.Next(out var token))
        {
            if (token.Kind != SqlTokenKind.LeftParen)
            {
                return token.Kind == SqlTokenKind.Identifier ? token.Text(sql) : [];
            }
        }

        return [];
    }
}
