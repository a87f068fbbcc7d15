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

    private static char Next(string sql, int i) => i + 1 < sql.Length ? sql[i + 1] : '\0';

    private static bool IsIdentifierStart(char c) => char.IsLetter(c) || c == '_';

    private static bool IsIdentifierChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '$';

    private static int SkipLineComment(string sql, int i)
    {
        var end = sql.IndexOf('\n', i);
        return end < 0 ? sql.Length : end + 1;
    }

    private static int SkipBlockComment(string sql, int i)
    {
        var depth = 0;
        while (i < sql.Length)
        {
            if (sql[i] == '/' && Next(sql, i) == '*')
            {
                depth++;
                i += 2;
            }
            else if (sql[i] == '*' && Next(sql, i) == '/')
            {
                i += 2;
                if (--depth == 0)
                {
                    return i;
                }
            }
            else
            {
                i++;
            }
        }

        return sql.Length;
    }

    private static int SkipQuoted(string sql, int i, char quote, bool backslashEscapes)
    {
        i++;
        while (i < sql.Length)
        {
            if (backslashEscapes && sql[i] == '\\')
            {
                i += 2;
            }
            else if (sql[i] == quote)
            {
                // A doubled quote is the quote character itself.
                if (Next(sql, i) == quote)
                {
                    i += 2;
                }
                else
                {
                    return i + 1;
                }
            }
            else
            {
                i++;
            }
        }

        return sql.Length;
    }

    /// <summary>A dollar-quote opener: <c>$$</c> or <c>$tag$</c> where tag is an identifier without <c>$</c>.</summary>
    private static bool TryDollarTag(string sql, int i, out string tag)
    {
        tag = string.Empty;
        if (i > 0 && IsIdentifierChar(sql[i - 1]))
        {
            // Part of an identifier (a$b) or a parameter ($1): not a quote.
            return false;
        }

        var j = i + 1;
        if (j < sql.Length && IsIdentifierStart(sql[j]))
        {
            while (j < sql.Length && IsIdentifierChar(sql[j]) && sql[j] != '$')
            {
                j++;
            }
        }

        if (j < sql.Length && sql[j] == '$')
        {
            tag = sql[i..(j + 1)];
            return true;
        }

        return false;
    }
}
