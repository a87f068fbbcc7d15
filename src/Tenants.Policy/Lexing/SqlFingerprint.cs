using System.Security.Cryptography;
using System.Text;
using static Tenants.Policy.Lexing.SqlLexer;

namespace Tenants.Policy.Lexing;

/// <summary>
/// The shape of a statement with its literals taken out, so that statements differing only in the values they carry
/// group together (as <c>pg_stat_statements</c> groups them): string, escape-string, dollar-quoted, bit and numeric
/// literals become <c>?</c>, a parenthesised list of literals becomes <c>(?)</c>, comments are dropped, whitespace
/// collapses to one space and words outside quoted identifiers are lower-cased. Parameters (<c>$1</c>) stay as they
/// are. Never throws: unterminated quotes or comments run to the end of the text.
/// </summary>
public static class SqlFingerprint
{
    /// <summary>The normalised text of <paramref name="sql"/>.</summary>
    public static string Normalize(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var output = new StringBuilder(Math.Min(sql.Length, 4096));
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                Space(output);
            }
            else if (c == '-' && Next(sql, i) == '-')
            {
                var end = sql.IndexOf('\n', i);
                i = end < 0 ? sql.Length : end + 1;
                Space(output);
            }
            else if (c == '/' && Next(sql, i) == '*')
            {
                i = SkipBlockComment(sql, i);
                Space(output);
            }
            else if (c == '\'')
            {
                i = SkipQuoted(sql, i, '\'', backslashEscapes: false);
                Literal(output);
            }
            else if (c is 'E' or 'e' or 'B' or 'b' or 'X' or 'x' or 'N' or 'n' && Next(sql, i) == '\'' && !PrecededByIdentifier(sql, i))
            {
                i = SkipQuoted(sql, i + 1, '\'', backslashEscapes: c is 'E' or 'e');
                Literal(output);
            }
            else if (c == '"')
            {
                var end = SkipQuoted(sql, i, '"', backslashEscapes: false);
                output.Append(sql, i, end - i);
                i = end;
            }
            else if (c == '$' && TryDollarTag(sql, i, out var tag))
            {
                var end = sql.IndexOf(tag, i + tag.Length, StringComparison.Ordinal);
                i = end < 0 ? sql.Length : end + tag.Length;
                Literal(output);
            }
            else if ((char.IsAsciiDigit(c) || (c == '.' && char.IsAsciiDigit(Next(sql, i)))) && !PrecededByIdentifier(sql, i))
            {
                i = SkipNumber(sql, i);
                Literal(output);
            }
            else if (char.IsLetter(c) || c == '_')
            {
                var start = i;
                while (i < sql.Length && (char.IsLetterOrDigit(sql[i]) || sql[i] is '_' or '$'))
                {
                    i++;
                }

                output.Append(sql.AsSpan(start, i - start).ToString().ToLowerInvariant());
            }
            else
            {
                if (c == ')')
                {
                    CollapseList(output);
                }

                output.Append(c);
                i++;
            }
        }

        return output.ToString().Trim();
    }

    /// <summary>A short stable identifier of the normalised text: the first 16 hex digits of its SHA-256.</summary>
    public static string Compute(string sql)
    {
        var normalized = Normalize(sql);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(normalized), hash);
        return Convert.ToHexStringLower(hash[..8]);
    }

    private static void Space(StringBuilder output)
    {
        if (output.Length > 0 && output[^1] != ' ')
        {
            output.Append(' ');
        }
    }

    private static void Literal(StringBuilder output) => output.Append('?');

    /// <summary>Turns a just-written <c>(?, ?, ?</c> into <c>(?</c>, so IN lists of any length share one shape.</summary>
    private static void CollapseList(StringBuilder output)
    {
        var j = output.Length - 1;
        var items = 0;
        while (j >= 0)
        {
            if (output[j] == ' ')
            {
                j--;
            }
            else if (output[j] == '?')
            {
                items++;
                j--;
                while (j >= 0 && output[j] == ' ')
                {
                    j--;
                }

                if (j >= 0 && output[j] == ',')
                {
                    j--;
                    continue;
                }

                break;
            }
            else
            {
                return;
            }
        }

        if (items > 1 && j >= 0 && output[j] == '(')
        {
            output.Length = j + 1;
            output.Append('?');
        }
    }

    private static int SkipNumber(string sql, int i)
    {
        var hex = sql[i] == '0' && Next(sql, i) is 'x' or 'X';
        var start = i;
        while (i < sql.Length
            && (char.IsAsciiLetterOrDigit(sql[i]) || sql[i] is '.' or '_' || (!hex && i > start && sql[i] is '+' or '-' && sql[i - 1] is 'e' or 'E')))
        {
            i++;
        }

        return i;
    }
}
