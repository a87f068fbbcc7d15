using System.Globalization;
using System.Numerics;
using System.Text;

namespace Tenants.Policy.Lexing;

/// <summary>The values of literal and quoted-identifier tokens, unescaped as PostgreSQL reads them.</summary>
internal static class SqlLiteral
{
    /// <summary>The name a quoted identifier stands for: <c>"a""b"</c> is <c>a"b</c>; <c>U&amp;"d\0061t"</c> is <c>dat</c>.</summary>
    public static string Identifier(ReadOnlySpan<char> text)
    {
        if (text.Length >= 2 && text[0] is 'U' or 'u' && text[1] == '&')
        {
            return Unicode(Inner(text[2..], '"'), '\\');
        }

        return Inner(text, '"').Replace("\"\"", "\"", StringComparison.Ordinal);
    }

    /// <summary>The value of a literal token; <paramref name="unicodeEscape"/> is the UESCAPE character of a <c>U&amp;''</c> string.</summary>
    public static string Value(ReadOnlySpan<char> text, SqlTokenKind kind, char unicodeEscape = '\\') => kind switch
    {
        SqlTokenKind.StandardString => Inner(text[0] == '\'' ? text : text[1..], '\'').Replace("''", "'", StringComparison.Ordinal),
        SqlTokenKind.EscapeString => Escaped(Inner(text[1..], '\'')),
        SqlTokenKind.UnicodeString => Unicode(Inner(text[2..], '\'').Replace("''", "'", StringComparison.Ordinal), unicodeEscape),
        SqlTokenKind.BitString => Bits(Inner(text[1..], '\''), hex: text[0] is 'X' or 'x'),
        SqlTokenKind.DollarString => Dollar(text),
        SqlTokenKind.Number => Number(text),
        _ => text.ToString(),
    };

    /// <summary>The text between the opening quote and the closing one (or the end, when it never closes).</summary>
    private static string Inner(ReadOnlySpan<char> quoted, char quote)
    {
        var body = quoted.Length > 0 && quoted[0] == quote ? quoted[1..] : quoted;
        if (body.Length > 0 && body[^1] == quote && quoted.Length >= 2)
        {
            body = body[..^1];
        }

        return body.ToString();
    }

    private static string Dollar(ReadOnlySpan<char> text)
    {
        var tagEnd = text[1..].IndexOf('$') + 2;
        var tag = text[..tagEnd];
        var body = text[tagEnd..];
        return (body.EndsWith(tag, StringComparison.Ordinal) ? body[..^tag.Length] : body).ToString();
    }

    private static string Number(ReadOnlySpan<char> text)
    {
        var digits = text.ToString().Replace("_", string.Empty, StringComparison.Ordinal);
        if (digits.Length > 2 && digits[0] == '0' && digits[1] is 'x' or 'X' or 'o' or 'O' or 'b' or 'B')
        {
            var radix = digits[1] is 'x' or 'X' ? 16 : digits[1] is 'o' or 'O' ? 8 : 2;
            var value = BigInteger.Zero;
            foreach (var c in digits.AsSpan(2))
            {
                var digit = char.IsAsciiDigit(c) ? c - '0' : char.ToLowerInvariant(c) - 'a' + 10;
                if (digit >= radix)
                {
                    return digits;
                }

                value = value * radix + digit;
            }

            return value.ToString(CultureInfo.InvariantCulture);
        }

        return digits;
    }

    private static string Bits(string body, bool hex)
    {
        if (!hex)
        {
            return body;
        }

        var bits = new StringBuilder(body.Length * 4);
        foreach (var c in body)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return "x" + body;
            }

            var value = Convert.ToInt32(c.ToString(), 16);
            bits.Append(Convert.ToString(value, 2).PadLeft(4, '0'));
        }

        return bits.ToString();
    }

    /// <summary>E'' escapes: \b \f \n \r \t, \ooo, \xhh, \uXXXX, \UXXXXXXXX, '' and \' for a quote, any other \c for c.</summary>
    private static string Escaped(string body)
    {
        if (body.IndexOf('\\', StringComparison.Ordinal) < 0)
        {
            return body.Replace("''", "'", StringComparison.Ordinal);
        }

        var output = new StringBuilder(body.Length);
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            if (c == '\'' && i + 1 < body.Length && body[i + 1] == '\'')
            {
                output.Append('\'');
                i++;
                continue;
            }

            if (c != '\\' || i + 1 >= body.Length)
            {
                output.Append(c);
                continue;
            }

            var e = body[++i];
            switch (e)
            {
                case 'b': output.Append('\b'); break;
                case 'f': output.Append('\f'); break;
                case 'n': output.Append('\n'); break;
                case 'r': output.Append('\r'); break;
                case 't': output.Append('\t'); break;
                case >= '0' and <= '7':
                    var octal = 0;
                    var n = 0;
                    while (n < 3 && i < body.Length && body[i] is >= '0' and <= '7')
                    {
                        octal = octal * 8 + body[i++] - '0';
                        n++;
                    }

                    i--;
                    output.Append((char)octal);
                    break;
                case 'x' when i + 1 < body.Length && char.IsAsciiHexDigit(body[i + 1]):
                    i = AppendCodePoint(output, body, i + 1, 2) - 1;
                    break;
                case 'u' when HasHex(body, i + 1, 4):
                    i = AppendCodePoint(output, body, i + 1, 4) - 1;
                    break;
                case 'U' when HasHex(body, i + 1, 8):
                    i = AppendCodePoint(output, body, i + 1, 8) - 1;
                    break;
                default: output.Append(e); break;
            }
        }

        return output.ToString();
    }

    /// <summary>U&amp;'' escapes: <c>\XXXX</c>, <c>\+XXXXXX</c> and a doubled escape character for itself.</summary>
    private static string Unicode(string body, char escape)
    {
        if (body.IndexOf(escape, StringComparison.Ordinal) < 0)
        {
            return body;
        }

        var output = new StringBuilder(body.Length);
        for (var i = 0; i < body.Length; i++)
        {
            if (body[i] != escape || i + 1 >= body.Length)
            {
                output.Append(body[i]);
            }
            else if (body[i + 1] == escape)
            {
                output.Append(escape);
                i++;
            }
            else if (body[i + 1] == '+' && HasHex(body, i + 2, 6))
            {
                i = AppendCodePoint(output, body, i + 2, 6) - 1;
            }
            else if (HasHex(body, i + 1, 4))
            {
                i = AppendCodePoint(output, body, i + 1, 4) - 1;
            }
            else
            {
                output.Append(body[i]);
            }
        }

        return output.ToString();
    }

    private static bool HasHex(string body, int start, int count)
    {
        if (start + count > body.Length)
        {
            return false;
        }

        foreach (var c in body.AsSpan(start, count))
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Appends the code point in up to <paramref name="count"/> hex digits from <paramref name="start"/>; returns the index after them.</summary>
    private static int AppendCodePoint(StringBuilder output, string body, int start, int count)
    {
        var value = 0;
        var i = start;
        while (i < body.Length && i - start < count && char.IsAsciiHexDigit(body[i]))
        {
            value = value * 16 + Convert.ToInt32(body[i].ToString(), 16);
            i++;
        }

        if (value is >= 0 and <= 0x10FFFF && value is < 0xD800 or > 0xDFFF)
        {
            output.Append(char.ConvertFromUtf32(value));
        }
        else
        {
            output.Append('\uFFFD');
        }

        return i;
    }
}
