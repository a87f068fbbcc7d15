namespace Tenants.Policy.Lexing;

/// <summary>
/// The pieces of PostgreSQL's lexical structure that the statement splitter and the fingerprint share: comments,
/// quoted strings and identifiers, and dollar quotes.
/// </summary>
internal static class SqlLexer
{
    public static char Next(string sql, int i) => i + 1 < sql.Length ? sql[i + 1] : '\0';

    public static bool IsIdentifierStart(char c) => char.IsLetter(c) || c == '_';

    public static bool IsIdentifierChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '$';

    /// <summary>Whether the character before <paramref name="i"/> belongs to an identifier (or a <c>$n</c> parameter).</summary>
    public static bool PrecededByIdentifier(string sql, int i) => i > 0 && IsIdentifierChar(sql[i - 1]);

    public static int SkipLineComment(string sql, int i)
    {
        var end = sql.IndexOf('\n', i);
        return end < 0 ? sql.Length : end + 1;
    }

    public static int SkipBlockComment(string sql, int i)
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

    public static int SkipQuoted(string sql, int i, char quote, bool backslashEscapes)
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

    public static bool TryDollarTag(string sql, int i, out string tag)
    {
        tag = string.Empty;
        if (PrecededByIdentifier(sql, i))
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
