namespace Tenants.Policy.Lexing;

/// <summary>
/// Splits a simple-protocol query string into its statements the way the server does: at semicolons outside string
/// literals (<c>'...'</c>, <c>E'...'</c> with backslash escapes), quoted identifiers, dollar-quoted strings, line
/// comments and nested block comments, and outside <c>BEGIN ATOMIC ... END</c> function bodies. Statements that
/// hold only whitespace and comments are dropped, as the server drops them. Never throws: unterminated quotes or
/// comments run to the end of the text.
/// </summary>
public static class SqlStatementSplitter
{
    public static IReadOnlyList<string> Split(string sql)
    {
        var statements = new List<string>();
        foreach (var (start, length) in Ranges(sql))
        {
            statements.Add(sql.Substring(start, length).Trim());
        }

        return statements;
    }

    /// <summary>Where each statement of <paramref name="sql"/> is: from its first character to its semicolon (included) or the end.</summary>
    public static IReadOnlyList<(int Start, int Length)> Ranges(ReadOnlySpan<char> sql)
    {
        var ranges = new List<(int Start, int Length)>();
        var lexer = new SqlLexer(sql);
        var start = 0;
        var atomicDepth = 0;
        var previousWasBegin = false;
        var meaningful = false;
        while (lexer.Next(out var token))
        {
            if (token.Kind == SqlTokenKind.Semicolon && atomicDepth == 0)
            {
                if (meaningful)
                {
                    ranges.Add((start, token.End - start));
                }

                start = token.End;
                meaningful = false;
                previousWasBegin = false;
                continue;
            }

            meaningful = true;
            var wasBegin = previousWasBegin;
            previousWasBegin = false;
            if (token.Kind != SqlTokenKind.Identifier)
            {
                continue;
            }

            var word = token.Text(sql);
            if (wasBegin && word.Equals("ATOMIC", StringComparison.OrdinalIgnoreCase))
            {
                atomicDepth++;
            }
            else if (atomicDepth > 0 && word.Equals("CASE", StringComparison.OrdinalIgnoreCase))
            {
                // CASE ... END inside an atomic body closes with END too.
                atomicDepth++;
            }
            else if (atomicDepth > 0 && word.Equals("END", StringComparison.OrdinalIgnoreCase))
            {
                atomicDepth--;
            }
            else
            {
                previousWasBegin = word.Equals("BEGIN", StringComparison.OrdinalIgnoreCase);
            }
        }

        if (meaningful)
        {
            ranges.Add((start, sql.Length - start));
        }

        return ranges;
    }
}
