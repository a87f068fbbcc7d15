namespace Tenants.Policy.Lexing;

/// <summary>
/// One token of SQL text: its kind and where it is (<see cref="Start"/>, <see cref="Length"/>), so the text is never
/// copied. <see cref="Unterminated"/> marks a quote or dollar quote that ran to the end of the input.
/// </summary>
public readonly record struct SqlToken(SqlTokenKind Kind, int Start, int Length, bool Unterminated = false)
{
    /// <summary>Just past the token.</summary>
    public int End => Start + Length;

    /// <summary>True for every kind of string, bit string and numeric literal (not parameters).</summary>
    public bool IsLiteral => Kind is SqlTokenKind.StandardString or SqlTokenKind.EscapeString or SqlTokenKind.UnicodeString
        or SqlTokenKind.BitString or SqlTokenKind.DollarString or SqlTokenKind.Number;

    /// <summary>The token's text in <paramref name="sql"/>.</summary>
    public ReadOnlySpan<char> Text(ReadOnlySpan<char> sql) => sql.Slice(Start, Length);
}
