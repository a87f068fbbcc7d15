using Tenants.Policy.Lexing;

namespace Tenants.Policy.Tests.Lexing;

public sealed class SqlLexerTests
{
    private static string Kinds(string sql) => string.Join(' ', SqlLexer.Tokenize(sql).Select(t => t.Kind));

    private static string Texts(string sql) => string.Join('|', SqlLexer.Tokenize(sql).Select(t => sql.Substring(t.Start, t.Length)));

    [Theory]
    [InlineData("select 'it''s'", "Identifier StandardString")]
    [InlineData("E'a\\'b' e'x'", "EscapeString EscapeString")]
    [InlineData("U&'d\\0061t' UESCAPE '!'", "UnicodeString Identifier StandardString")]
    [InlineData("U&\"d\\0061t\"", "UnicodeIdentifier")]
    [InlineData("B'101' X'1F' N'x'", "BitString BitString StandardString")]
    [InlineData("$$a;b$$ $fn$ x $$ y $fn$", "DollarString DollarString")]
    [InlineData("$1 + $22", "Parameter Operator Parameter")]
    [InlineData("\"a\"\"b\"", "QuotedIdentifier")]
    [InlineData("1e5 .5 0x1F 1_000 3.14 1.5e-3", "Number Number Number Number Number Number")]
    [InlineData("a::int[]", "Identifier Cast Identifier LeftBracket RightBracket")]
    [InlineData("a.b, (c);", "Identifier Dot Identifier Comma LeftParen Identifier RightParen Semicolon")]
    [InlineData("x->>'k' <> y", "Identifier Operator StandardString Operator Identifier")]
    [InlineData("a$b c$", "Identifier Identifier")]
    public void Tokenize_PostgresConstructs_GivesKinds(string sql, string expected) => Assert.Equal(expected, Kinds(sql));

    [Theory]
    [InlineData("a /* x /* nested */ still */ b -- tail\nc", "a|b|c")]
    [InlineData("a=-- comment\n1", "a|=|1")]
    [InlineData("a/*c*/+b", "a|+|b")]
    [InlineData("$tag$ $not$ end $tag$x", "$tag$ $not$ end $tag$|x")]
    public void Tokenize_CommentsAndQuotes_AreNotTokensInside(string sql, string expected) => Assert.Equal(expected, Texts(sql));

    [Theory]
    [InlineData("select 'open")]
    [InlineData("select E'open\\'")]
    [InlineData("select \"open")]
    [InlineData("select $$ open")]
    [InlineData("select /* /* */ open")]
    public void Next_Unterminated_RunsToTheEndAndSaysSo(string sql)
    {
        var lexer = new SqlLexer(sql);
        var last = default(SqlToken);
        while (lexer.Next(out var token))
        {
            last = token;
        }

        Assert.True(lexer.SawUnterminated);
        Assert.True(last.End <= sql.Length);
    }

    [Fact]
    public void Tokenize_RandomText_NeverThrowsAndCoversInOrder()
    {
        var random = new Random(7);
        const string alphabet = "aE ;'\"$-/*\\\n1.&U(),:x_eB0";
        for (var n = 0; n < 20_000; n++)
        {
            var chars = new char[random.Next(0, 50)];
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = alphabet[random.Next(alphabet.Length)];
            }

            var previousEnd = 0;
            foreach (var token in SqlLexer.Tokenize(new string(chars)))
            {
                Assert.True(token.Start >= previousEnd && token.Length > 0 && token.End <= chars.Length, new string(chars));
                previousEnd = token.End;
            }
        }
    }
}
