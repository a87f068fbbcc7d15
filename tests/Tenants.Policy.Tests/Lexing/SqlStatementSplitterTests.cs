using Tenants.Policy.Lexing;

namespace Tenants.Policy.Tests.Lexing;

public sealed class SqlStatementSplitterTests
{
    [Theory]
    [InlineData("select 1", new[] { "select 1" })]
    [InlineData("select 1; select 2;", new[] { "select 1;", "select 2;" })]
    [InlineData("select 1;;  ;select 2", new[] { "select 1;", "select 2" })]
    [InlineData("select ';' as a; select 2", new[] { "select ';' as a;", "select 2" })]
    [InlineData("select 'it''s; fine'; select 2", new[] { "select 'it''s; fine';", "select 2" })]
    [InlineData("select E'a\\'; b'; select 2", new[] { "select E'a\\'; b';", "select 2" })]
    [InlineData("select \"a;b\" from t; select 2", new[] { "select \"a;b\" from t;", "select 2" })]
    [InlineData("select 1 -- a; comment\n; select 2", new[] { "select 1 -- a; comment\n;", "select 2" })]
    [InlineData("select /* a /* nested; */ still; */ 1; select 2", new[] { "select /* a /* nested; */ still; */ 1;", "select 2" })]
    [InlineData("do $$ begin perform 1; end $$; select 2", new[] { "do $$ begin perform 1; end $$;", "select 2" })]
    [InlineData("do $fn$ a; $$ b; $fn$; select 2", new[] { "do $fn$ a; $$ b; $fn$;", "select 2" })]
    [InlineData("select $1; select 2", new[] { "select $1;", "select 2" })]
    [InlineData("select 1; -- trailing comment", new[] { "select 1;" })]
    [InlineData("create function f() returns int language sql begin atomic select 1; select 2; end; select 3",
        new[] { "create function f() returns int language sql begin atomic select 1; select 2; end;", "select 3" })]
    [InlineData("", new string[0])]
    [InlineData("select 'unterminated; select 2", new[] { "select 'unterminated; select 2" })]
    public void Split_QueryString_GivesTheServersStatements(string sql, string[] expected)
    {
        Assert.Equal(expected, SqlStatementSplitter.Split(sql));
    }

    [Fact]
    public void Split_RandomText_NeverThrows()
    {
        var random = new Random(42);
        const string alphabet = "ab ;'\"$-/*\\\nE1";
        for (var n = 0; n < 20_000; n++)
        {
            var chars = new char[random.Next(0, 40)];
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = alphabet[random.Next(alphabet.Length)];
            }

            _ = SqlStatementSplitter.Split(new string(chars));
        }
    }
}
