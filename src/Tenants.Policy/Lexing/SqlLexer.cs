namespace Tenants.Policy.Lexing;

/// <summary>
/// PostgreSQL's lexical structure as a stream of <see cref="SqlToken"/>s over the text, without copying it: <c>--</c> and
/// nested <c>/* */</c> comments (skipped), <c>'...'</c> strings with doubled quotes, <c>E'...'</c> with backslash escapes,
/// <c>U&amp;'...'</c> and <c>U&amp;"..."</c>, <c>B'...'</c> and <c>X'...'</c>, <c>$tag$...$tag$</c> dollar quotes (a
/// <c>$1</c> is a parameter), quoted identifiers with <c>""</c>, numbers (<c>1e5</c>, <c>.5</c>, <c>0x1F</c>,
/// <c>1_000</c>), operators, <c>::</c> and punctuation. Never throws: a quote or comment that is never closed runs to the
/// end of the input and sets <see cref="SawUnterminated"/>. Each character is looked at a bounded number of times.
/// </summary>
public ref struct SqlLexer
{
    private readonly ReadOnlySpan<char> _text;
    private int _position;

    public SqlLexer(ReadOnlySpan<char> text)
    {
        _text = text;
    }

    /// <summary>Where the next token (or the gap before it) starts.</summary>
    public readonly int Position => _position;

    /// <summary>True once a string, quoted identifier, dollar quote or block comment ran to the end of the input.</summary>
    public bool SawUnterminated { get; private set; }

    /// <summary>All tokens of <paramref name="sql"/> (for tests and tools; hot paths use <see cref="Next"/>).</summary>
    public static IReadOnlyList<SqlToken> Tokenize(string sql)
    {
        var tokens = new List<SqlToken>();
        var lexer = new SqlLexer(sql);
        while (lexer.Next(out var token))
        {
            tokens.Add(token);
        }

        return tokens;
    }

    /// <summary>Reads the next token, skipping whitespace and comments; false at the end of the input.</summary>
    public bool Next(out SqlToken token)
    {
        var text = _text;
        var i = SkipGap(text, _position);
        if (i >= text.Length)
        {
            _position = text.Length;
            token = default;
            return false;
        }

        var start = i;
        var c = text[i];
        var next = i + 1 < text.Length ? text[i + 1] : '\0';
        SqlTokenKind kind;
        var unterminated = false;
        switch (c)
        {
            case '\'':
                kind = SqlTokenKind.StandardString;
                i = SkipQuoted(text, i, '\'', backslashEscapes: false, out unterminated);
                break;
            case '"':
                kind = SqlTokenKind.QuotedIdentifier;
                i = SkipQuoted(text, i, '"', backslashEscapes: false, out unterminated);
                break;
            case 'E' or 'e' when next == '\'':
                kind = SqlTokenKind.EscapeString;
                i = SkipQuoted(text, i + 1, '\'', backslashEscapes: true, out unterminated);
                break;
            case 'B' or 'b' or 'X' or 'x' when next == '\'':
                kind = SqlTokenKind.BitString;
                i = SkipQuoted(text, i + 1, '\'', backslashEscapes: false, out unterminated);
                break;
            case 'N' or 'n' when next == '\'':
                kind = SqlTokenKind.StandardString;
                i = SkipQuoted(text, i + 1, '\'', backslashEscapes: false, out unterminated);
                break;
            case 'U' or 'u' when next == '&' && i + 2 < text.Length && text[i + 2] is '\'' or '"':
                var quote = text[i + 2];
                kind = quote == '\'' ? SqlTokenKind.UnicodeString : SqlTokenKind.UnicodeIdentifier;
                i = SkipQuoted(text, i + 2, quote, backslashEscapes: false, out unterminated);
                break;
            case '$':
                i = Dollar(text, i, out kind, out unterminated);
                break;
            case '(':
                kind = SqlTokenKind.LeftParen;
                i++;
                break;
            case ')':
                kind = SqlTokenKind.RightParen;
                i++;
                break;
            case '[':
                kind = SqlTokenKind.LeftBracket;
                i++;
                break;
            case ']':
                kind = SqlTokenKind.RightBracket;
                i++;
                break;
            case ',':
                kind = SqlTokenKind.Comma;
                i++;
                break;
            case ';':
                kind = SqlTokenKind.Semicolon;
                i++;
                break;
            case ':':
                (kind, i) = next switch
                {
                    ':' => (SqlTokenKind.Cast, i + 2),
                    '=' => (SqlTokenKind.Operator, i + 2),
                    _ => (SqlTokenKind.Colon, i + 1),
                };
                break;
            case '.' when !char.IsAsciiDigit(next):
                kind = SqlTokenKind.Dot;
                i++;
                break;
            default:
                if (char.IsAsciiDigit(c) || c == '.')
                {
                    kind = SqlTokenKind.Number;
                    i = SkipNumber(text, i);
                }
                else if (IsIdentifierStart(c))
                {
                    kind = SqlTokenKind.Identifier;
                    i++;
                    while (i < text.Length && IsIdentifierChar(text[i]))
                    {
                        i++;
                    }
                }
                else if (IsOperatorChar(c))
                {
                    kind = SqlTokenKind.Operator;
                    i = SkipOperator(text, i);
                }
                else
                {
                    kind = SqlTokenKind.Other;
                    i++;
                }

                break;
        }

        SawUnterminated |= unterminated;
        _position = i;
        token = new SqlToken(kind, start, i - start, unterminated);
        return true;
    }

    public static bool IsIdentifierStart(char c) => char.IsAsciiLetter(c) || c == '_' || (c >= '\u0080' && !char.IsWhiteSpace(c));

    public static bool IsIdentifierChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '$' || (c >= '\u0080' && !char.IsWhiteSpace(c));

    private static bool IsOperatorChar(char c) => c is '+' or '-' or '*' or '/' or '<' or '>' or '=' or '~' or '!' or '@' or '#' or '%' or '^' or '&' or '|' or '`' or '?';

    /// <summary>Skips whitespace and comments from <paramref name="i"/>; notes a block comment that never closes.</summary>
    private int SkipGap(ReadOnlySpan<char> text, int i)
    {
        while (i < text.Length)
        {
            var c = text[i];
            if (c is ' ' or '\t' or '\n' or '\r' or '\f' or '\v')
            {
                i++;
            }
            else if (c == '-' && i + 1 < text.Length && text[i + 1] == '-')
            {
                var end = text[i..].IndexOfAny('\n', '\r');
                i = end < 0 ? text.Length : i + end + 1;
            }
            else if (c == '/' && i + 1 < text.Length && text[i + 1] == '*')
            {
                i = SkipBlockComment(text, i, out var unterminated);
                SawUnterminated |= unterminated;
            }
            else if (c > '\u007f' && char.IsWhiteSpace(c))
            {
                i++;
            }
            else
            {
                break;
            }
        }

        return i;
    }

    /// <summary>Skips a block comment starting at <paramref name="i"/>; PostgreSQL's block comments nest.</summary>
    public static int SkipBlockComment(ReadOnlySpan<char> text, int i, out bool unterminated)
    {
        var depth = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '/' && i + 1 < text.Length && text[i + 1] == '*')
            {
                depth++;
                i += 2;
            }
            else if (c == '*' && i + 1 < text.Length && text[i + 1] == '/')
            {
                i += 2;
                if (--depth == 0)
                {
                    unterminated = false;
                    return i;
                }
            }
            else
            {
                // Jump to the next character that can open or close a comment.
                var skip = text[(i + 1)..].IndexOfAny('/', '*');
                i = skip < 0 ? text.Length : i + 1 + skip;
            }
        }

        unterminated = true;
        return text.Length;
    }

    /// <summary>Skips a quoted run whose opening quote is at <paramref name="i"/>; a doubled quote is the quote itself.</summary>
    private static int SkipQuoted(ReadOnlySpan<char> text, int i, char quote, bool backslashEscapes, out bool unterminated)
    {
        i++;
        while (i < text.Length)
        {
            var rest = text[i..];
            var found = backslashEscapes ? rest.IndexOfAny(quote, '\\') : rest.IndexOf(quote);
            if (found < 0)
            {
                break;
            }

            i += found;
            if (text[i] == '\\')
            {
                i += 2;
            }
            else if (i + 1 < text.Length && text[i + 1] == quote)
            {
                i += 2;
            }
            else
            {
                unterminated = false;
                return i + 1;
            }
        }

        unterminated = true;
        return text.Length;
    }

    private static int Dollar(ReadOnlySpan<char> text, int i, out SqlTokenKind kind, out bool unterminated)
    {
        unterminated = false;
        var j = i + 1;
        if (j < text.Length && char.IsAsciiDigit(text[j]))
        {
            kind = SqlTokenKind.Parameter;
            while (j < text.Length && char.IsAsciiDigit(text[j]))
            {
                j++;
            }

            return j;
        }

        if (j < text.Length && IsIdentifierStart(text[j]))
        {
            while (j < text.Length && IsIdentifierChar(text[j]) && text[j] != '$')
            {
                j++;
            }
        }

        if (j >= text.Length || text[j] != '$')
        {
            kind = SqlTokenKind.Other;
            return i + 1;
        }

        kind = SqlTokenKind.DollarString;
        var tag = text[i..(j + 1)];
        var close = text[(j + 1)..].IndexOf(tag);
        if (close < 0)
        {
            unterminated = true;
            return text.Length;
        }

        return j + 1 + close + tag.Length;
    }

    private static int SkipNumber(ReadOnlySpan<char> text, int i)
    {
        if (text[i] == '0' && i + 2 < text.Length && text[i + 1] is 'x' or 'X' or 'o' or 'O' or 'b' or 'B' && char.IsAsciiHexDigit(text[i + 2]))
        {
            i += 2;
            while (i < text.Length && (char.IsAsciiHexDigit(text[i]) || text[i] == '_'))
            {
                i++;
            }

            return i;
        }

        i = SkipDigits(text, i);
        if (i < text.Length && text[i] == '.' && !(i + 1 < text.Length && text[i + 1] == '.'))
        {
            i = SkipDigits(text, i + 1);
        }

        if (i < text.Length && text[i] is 'e' or 'E')
        {
            var j = i + 1;
            if (j < text.Length && text[j] is '+' or '-')
            {
                j++;
            }

            if (j < text.Length && char.IsAsciiDigit(text[j]))
            {
                i = SkipDigits(text, j);
            }
        }

        return i;
    }

    private static int SkipDigits(ReadOnlySpan<char> text, int i)
    {
        while (i < text.Length && (char.IsAsciiDigit(text[i]) || (text[i] == '_' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1]))))
        {
            i++;
        }

        return i;
    }

    private static int SkipOperator(ReadOnlySpan<char> text, int i)
    {
        var start = i;
        while (i < text.Length && IsOperatorChar(text[i]))
        {
            // A comment starts inside what would otherwise be one operator (a=--x, a/*c*/).
            if (i > start && i + 1 < text.Length && ((text[i] == '-' && text[i + 1] == '-') || (text[i] == '/' && text[i + 1] == '*')))
            {
                break;
            }

            i++;
        }

        return i;
    }
}
