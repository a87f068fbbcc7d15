using System.Text;
using Tenants.Policy.Lexing;
using Tenants.Policy.Rules;

namespace Tenants.Policy.Tests.Rules;

public sealed class SqlRedactorTests
{
    private static readonly byte[] Salt = Encoding.UTF8.GetBytes("tenant-salt");

    private static string H(string value) => "'" + ValueHasher.Hash(Salt, value) + "'";

    [Theory]
    [InlineData("select * from t where name = 'O''Brien'", "select * from t where name = {O'Brien}")]
    [InlineData("select E'O\\'Brien', e'a\\nb'", "select {O'Brien}, {a\nb}")]
    [InlineData("select N'x', U&'d\\0061t', U&'d!0061t' UESCAPE '!'", "select {x}, {dat}, {dat}")]
    [InlineData("select $$a;b$$, $fn$ it's $fn$", "select {a;b}, { it's }")]
    [InlineData("select B'101', X'1F'", "select {101}, {00011111}")]
    [InlineData("select 42, 1.5e-3, 0x1F, 1_000 from t", "select {42}, {1.5e-3}, {31}, {1000} from t")]
    [InlineData("select a /* keep 'me' */ from \"T\" where id = $1 -- and 7\n", "select a /* keep 'me' */ from \"T\" where id = $1 -- and 7\n")]
    public void Redact_Literals_BecomeKeyedHashesOfTheirValues(string sql, string template)
    {
        var expected = System.Text.RegularExpressions.Regex.Replace(template, "\\{([^}]*)\\}", m => H(m.Groups[1].Value));

        Assert.Equal(expected, SqlRedactor.Redact(sql, Salt));
    }

    [Fact]
    public void Redact_SameValueDifferentSpelling_SameHash()
    {
        var a = SqlRedactor.Redact("select 'it''s'", Salt);
        var b = SqlRedactor.Redact("select E'it\\'s'", Salt);
        var c = SqlRedactor.Redact("select $q$it's$q$", Salt);

        Assert.Equal(a, b);
        Assert.Equal(a, c);
        Assert.DoesNotContain("it", a[7..], StringComparison.Ordinal);
    }

    [Fact]
    public void Redact_OtherSalt_OtherHash()
    {
        Assert.NotEqual(SqlRedactor.Redact("select 'x'", Salt), SqlRedactor.Redact("select 'x'", [1, 2, 3]));
    }

    [Theory]
    [InlineData("insert into t values ('secret', 123456789, E'sec\\\\ret') returning id")]
    [InlineData("select 'unterminated secret")]
    [InlineData("do $body$ begin raise notice 'secret'; end $body$")]
    public void Redact_Result_StillLexesAndHoldsNoValue(string sql)
    {
        var redacted = SqlRedactor.Redact(sql, Salt);

        Assert.DoesNotContain("secret", redacted, StringComparison.Ordinal);
        Assert.DoesNotContain("123456789", redacted, StringComparison.Ordinal);
        var lexer = new SqlLexer(redacted);
        while (lexer.Next(out _))
        {
        }

        Assert.False(lexer.SawUnterminated);
        Assert.Equal(StatementAnalyzer.Analyze(sql).Command, StatementAnalyzer.Analyze(redacted).Command);
    }

    [Fact]
    public void Redact_NoLiterals_ReturnsTheTextUnchanged()
    {
        const string sql = "select a, b from t where c = $1";

        Assert.Same(sql, SqlRedactor.Redact(sql, Salt));
    }
}
