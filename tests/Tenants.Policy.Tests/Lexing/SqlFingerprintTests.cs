using Tenants.Policy.Lexing;

namespace Tenants.Policy.Tests.Lexing;

public sealed class SqlFingerprintTests
{
    [Theory]
    [InlineData("SELECT * FROM t WHERE id = 42", "select * from t where id = ?")]
    [InlineData("select *\n  from t -- why\n where name = 'O''Brien'", "select * from t where name = ?")]
    [InlineData("SELECT E'a\\'b', $$x;y$$, $f$z$f$, B'101', X'1f', 1.5e-3", "select ?, ?, ?, ?, ?, ?")]
    [InlineData("SELECT * FROM t WHERE id IN (1, 2, 3)", "select * from t where id in (?)")]
    [InlineData("SELECT * FROM t WHERE id = $1 /* c /* nested */ */", "select * from t where id = $1")]
    [InlineData("SELECT \"Mixed Case\", col1 FROM t2", "select \"Mixed Case\", col1 from t2")]
    [InlineData("SELECT 'unterminated", "select ?")]
    public void Normalize_Statement_TakesLiteralsOut(string sql, string expected) =>
        Assert.Equal(expected, SqlFingerprint.Normalize(sql));

    [Fact]
    public void Compute_SameShapeDifferentValues_SameFingerprint()
    {
        var a = SqlFingerprint.Compute("SELECT * FROM orders WHERE id = 1 AND note = 'x'");
        var b = SqlFingerprint.Compute("select *   from orders where id = 99999 and note = 'something else'");
        var c = SqlFingerprint.Compute("SELECT * FROM customers WHERE id = 1");

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.Matches("^[0-9a-f]{16}$", a);
    }
}
