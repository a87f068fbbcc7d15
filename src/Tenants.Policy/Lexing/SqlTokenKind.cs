namespace Tenants.Policy.Lexing;

/// <summary>What a <see cref="SqlToken"/> is. Whitespace and comments are not tokens: they are the gaps between them.</summary>
public enum SqlTokenKind : byte
{
    /// <summary>A bare word: a keyword or an unquoted identifier (<c>select</c>, <c>users</c>, <c>a$b</c>).</summary>
    Identifier,

    /// <summary>A double-quoted identifier, <c>"Users"</c>, with <c>""</c> standing for a quote.</summary>
    QuotedIdentifier,

    /// <summary>A Unicode-escaped identifier, <c>U&amp;"d\0061t"</c>.</summary>
    UnicodeIdentifier,

    /// <summary>A standard string, <c>'it''s'</c>, or a national one, <c>N'x'</c>.</summary>
    StandardString,

    /// <summary>An escape string, <c>E'a\'b'</c>, with backslash escapes.</summary>
    EscapeString,

    /// <summary>A Unicode-escaped string, <c>U&amp;'d\0061t'</c>.</summary>
    UnicodeString,

    /// <summary>A bit string, <c>B'101'</c> or <c>X'1F'</c>.</summary>
    BitString,

    /// <summary>A dollar-quoted string, <c>$$...$$</c> or <c>$tag$...$tag$</c>.</summary>
    DollarString,

    /// <summary>A numeric literal: <c>42</c>, <c>1.5e-3</c>, <c>.5</c>, <c>0x1F</c>, <c>1_000</c>.</summary>
    Number,

    /// <summary>A positional parameter, <c>$1</c>.</summary>
    Parameter,

    /// <summary>An operator: <c>=</c>, <c>&lt;&gt;</c>, <c>||</c>, <c>-&gt;&gt;</c>, ...</summary>
    Operator,

    /// <summary><c>::</c>.</summary>
    Cast,

    LeftParen,
    RightParen,
    LeftBracket,
    RightBracket,
    Comma,
    Semicolon,
    Dot,
    Colon,

    /// <summary>A character PostgreSQL has no token for (a lone <c>$</c>, a backslash, ...).</summary>
    Other,
}
