using System.Security.Cryptography;
using System.Text;

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
        var lexer = new SqlLexer(sql);
        var previousEnd = 0;
        while (lexer.Next(out var token))
        {
            if (token.Start > previousEnd)
            {
                Space(output);
            }

            previousEnd = token.End;
            if (token.IsLiteral)
            {
                output.Append('?');
            }
            else if (token.Kind == SqlTokenKind.Identifier)
            {
                foreach (var c in token.Text(sql))
                {
                    output.Append(char.ToLowerInvariant(c));
                }
            }
            else
            {
                if (token.Kind == SqlTokenKind.RightParen)
                {
                    CollapseList(output);
                }

                output.Append(sql, token.Start, token.Length);
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
}
