using Tenants.Policy.Classification;

namespace Tenants.Policy.Tests.Classification;

public sealed class StatementClassifierTests
{
    [Theory]
    [InlineData("select 1", StatementClass.Read)]
    [InlineData("  -- note\n  SELECT * FROM t", StatementClass.Read)]
    [InlineData("/* outer /* inner */ still comment */ delete from t", StatementClass.Write)]
    [InlineData("(select 1) union (select 2)", StatementClass.Read)]
    [InlineData("INSERT INTO t VALUES (1)", StatementClass.Write)]
    [InlineData("create table t(a int)", StatementClass.Ddl)]
    [InlineData("grant select on t to bob", StatementClass.Dcl)]
    [InlineData("begin", StatementClass.Tcl)]
    [InlineData("set search_path = x", StatementClass.Other)]
    [InlineData("frobnicate the database", StatementClass.Unknown)]
    [InlineData("", StatementClass.Unknown)]
    [InlineData("/* never closed", StatementClass.Unknown)]
    public void Classify_LeadingKeyword_GivesClass(string sql, StatementClass expected)
    {
        Assert.Equal(expected, StatementClassifier.Classify(sql));
    }

    [Fact]
    public void LeadingKeyword_CommentsOnly_IsEmpty()
    {
        Assert.True(StatementClassifier.LeadingKeyword("-- just a comment").IsEmpty);
    }
}
