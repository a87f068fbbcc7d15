using static Tenants.Policy.Lexing.SqlLexer;

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
        var start = 0;
        var i = 0;
        var atomicDepth = 0;
        var previousWord = string.Empty;
        var meaningful = false;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (c == '-' && Next(sql, i) == '-')
            {
                i = SkipLineComment(sql, i);
            }
            else if (c == '/' && Next(sql, i) == '*')
            {
                i = SkipBlockComment(sql, i);
            }
            else if (c == '\'')
            {
                var escapes = i > 0 && (sql[i - 1] is 'E' or 'e') && (i < 2 || !IsIdentifierChar(sql[i - 2]));
                i = SkipQuoted(sql, i, '\'', escapes);
                meaningful = true;
            }
            else if (c == '"')
            {
                i = SkipQuoted(sql, i, '"', backslashEscapes: false);
                meaningful = true;
            }
            else if (c == '$' && TryDollarTag(sql, i, out var tag))
            {
                var end = sql.IndexOf(tag, i + tag.Length, StringComparison.Ordinal);
                i = end < 0 ? sql.Length : end + tag.Length;
                meaningful = true;
            }
            else if (IsIdentifierStart(c))
            {
                var wordStart = i;
                while (i < sql.Length && IsIdentifierChar(sql[i]))
                {
                    i++;
                }

                var word = sql[wordStart..i];
                if (word.Equals("ATOMIC", StringComparison.OrdinalIgnoreCase) && previousWord.Equals("BEGIN", StringComparison.OrdinalIgnoreCase))
                {
                    atomicDepth++;
                }
                else if (atomicDepth > 0 && word.Equals("END", StringComparison.OrdinalIgnoreCase))
                {
                    atomicDepth--;
                }

                previousWord = word;
                meaningful = true;
            }
            else if (c == ';' && atomicDepth == 0)
            {
                if (meaningful)
                {
                    statements.Add(sql[start..(i + 1)].Trim());
                }

                i++;
                start = i;
                meaningful = false;
                previousWord = string.Empty;
            }
            else
            {
                meaningful |= !char.IsWhiteSpace(c);
                i++;
            }
        }

        if (meaningful)
        {
            statements.Add(sql[start..].Trim());
        }

        return statements;
    }
}
