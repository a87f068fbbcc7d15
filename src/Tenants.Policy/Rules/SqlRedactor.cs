using System.Text;
using Tenants.Policy.Lexing;

namespace Tenants.Policy.Rules;

/// <summary>
/// Takes the values out of SQL text for the stored event: every string literal (<c>'...'</c>, <c>E'...'</c>,
/// <c>U&amp;'...'</c>, <c>N'...'</c>, bit strings, dollar-quoted bodies) and every numeric literal becomes
/// <c>'hmac:...'</c>, the <see cref="ValueHasher"/> hash of the literal's value (unescaped, so <c>'it''s'</c> and
/// <c>E'it\'s'</c> hash alike), and a search by value still finds it. Comments, whitespace, identifiers, keywords and
/// parameters stay as they were, and the result still lexes. Never throws.
/// </summary>
public static class SqlRedactor
{
    public static string Redact(string sql, ReadOnlySpan<byte> salt)
    {
        ArgumentNullException.ThrowIfNull(sql);
        StringBuilder? output = null;
        var copied = 0;
        var lexer = new SqlLexer(sql);
        var skipUescape = false;
        while (lexer.Next(out var token))
        {
            if (skipUescape)
            {
                // The UESCAPE clause of a U&'' string goes with the string it qualified.
                skipUescape = token.Kind == SqlTokenKind.Identifier && token.Text(sql).Equals("UESCAPE", StringComparison.OrdinalIgnoreCase);
                if (skipUescape)
                {
                    var escape = lexer;
                    if (escape.Next(out var character) && character.Kind == SqlTokenKind.StandardString)
                    {
                        lexer = escape;
                        copied = character.End;
                    }
                }

                skipUescape = false;
            }

            if (!token.IsLiteral)
            {
                continue;
            }

            var escapeChar = '\\';
            if (token.Kind == SqlTokenKind.UnicodeString)
            {
                escapeChar = UescapeOf(sql, lexer);
                skipUescape = true;
            }

            output ??= new StringBuilder(sql.Length + 64);
            output.Append(sql, copied, token.Start - copied);
            var hash = ValueHasher.Hash(salt, SqlLiteral.Value(token.Text(sql), token.Kind, escapeChar));
            output.Append('\'').Append(hash).Append('\'');
            copied = token.End;
        }

        if (output is null)
        {
            return sql;
        }

        output.Append(sql, copied, sql.Length - copied);
        return output.ToString();
    }

    /// <summary>The escape character a following <c>UESCAPE 'c'</c> names, or a backslash.</summary>
    private static char UescapeOf(string sql, SqlLexer lexer)
    {
        if (lexer.Next(out var word) && word.Kind == SqlTokenKind.Identifier && word.Text(sql).Equals("UESCAPE", StringComparison.OrdinalIgnoreCase)
            && lexer.Next(out var character) && character.Kind == SqlTokenKind.StandardString && character.Length == 3)
        {
            return sql[character.Start + 1];
        }

        return '\\';
    }
}
