using Tenants.Policy.Classification;
using Tenants.Policy.Rules;
using static Tenants.Policy.Tests.Rules.PolicyTestDocuments;

namespace Tenants.Policy.Tests.Rules;

public sealed class CompiledPolicyTests
{
    [Fact]
    public void Evaluate_NoRuleApplies_IsTheSharedAllow()
    {
        var policy = Compile("""{"id": "no-drop", "effect": "deny", "commands": ["DROP TABLE"]}""");
        Assert.Same(StatementVerdict.Allow, policy.Evaluate(Alice, Select("users"), Monday10Utc, hasGrant: false));
        Assert.Same(StatementVerdict.Allow, PolicyCompiler.Compile("""{"rules": []}""", 1, "h").Policy!.Evaluate(Alice, Select(), Monday10Utc, false));
        Assert.Equal((3, "abc"), (policy.Version, policy.VersionHash));
    }

    [Fact]
    public void MaskedColumns_AreEveryMaskInTheSubjectsScope_AtAnyTime()
    {
        var policy = Compile("""
            {"id": "night", "effect": "mask", "when": {"from": "22:00", "to": "06:00"}, "columns": [{"table": "users", "column": "email", "mask": "hash"}]},
            {"id": "auditors", "effect": "mask", "roles": ["auditor"], "columns": [{"schema": "hr", "table": "staff", "column": "salary", "mask": "redact"}]},
            {"id": "no-drop", "effect": "deny", "commands": ["DROP TABLE"]}
            """);

        var forAlice = policy.MaskedColumns(Alice);
        var forAnAuditor = policy.MaskedColumns(Alice with { Person = "ada", PersonRole = "auditor" });

        Assert.Equal(["users.email"], forAlice.Select(m => $"{m.Table}.{m.Column}"));
        Assert.Equal(["night", "auditors"], forAnAuditor.Select(m => m.RuleId));
    }

    [Fact]
    public void Evaluate_NoRuleApplies_AllocatesNothing()
    {
        var policy = Compile("""
            {"id": "ro", "effect": "deny", "endpoints": ["reporting"], "kinds": ["write"]},
            {"id": "users", "effect": "deny", "relations": ["public.users", "audit.*"], "persons": ["bob"]},
            {"id": "night", "effect": "deny", "kinds": ["ddl"], "when": {"from": "22:00", "to": "06:00", "timeZone": "Europe/Berlin"}},
            {"id": "mask", "effect": "mask", "roles": ["auditor"], "columns": [{"table": "users", "column": "email", "mask": "hash"}]}
            """);
        var statement = Select("public.orders", "mydb.sales.items");
        policy.Evaluate(Alice, statement, Monday10Utc, false);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            Assert.Same(StatementVerdict.Allow, policy.Evaluate(Alice, statement, Monday10Utc, false));
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Evaluate_ReadOnlyEndpoint_DeniesWritesThereOnly()
    {
        var policy = Compile("""{"id": "ro", "effect": "deny", "endpoints": ["reporting"], "kinds": ["write", "ddl", "dcl"]}""");
        var reporting = Alice with { EndpointId = "reporting" };

        var denied = policy.Evaluate(reporting, Delete("t"), Monday10Utc, false);

        Assert.Equal((true, "ro", "denied by policy rule 'ro'"), (denied.Denied, denied.RuleId, denied.Message));
        Assert.False(policy.Evaluate(reporting, Select("t"), Monday10Utc, false).Denied);
        Assert.False(policy.Evaluate(Alice, Delete("t"), Monday10Utc, false).Denied);
    }

    [Fact]
    public void Evaluate_RequireWhere_DeniesOnlyUnboundedUpdatesAndDeletes()
    {
        var policy = Compile("""{"id": "where", "effect": "deny", "missingWhere": true, "message": "add a WHERE clause"}""");

        var denied = policy.Evaluate(Alice, Delete("users", missingWhere: true), Monday10Utc, false);

        Assert.Equal("add a WHERE clause (policy rule 'where')", denied.Message);
        Assert.False(policy.Evaluate(Alice, Delete("users"), Monday10Utc, false).Denied);
    }

    [Theory]
    [InlineData("public.users", "public.users", true)]
    [InlineData("public.users", "users", true)] // unqualified: the search_path decides, so the rule errs on matching
    [InlineData("public.users", "audit.users", false)]
    [InlineData("users", "audit.users", true)]
    [InlineData("users", "mydb.audit.users", true)]
    [InlineData("users", "users2", false)]
    [InlineData("audit.*", "audit.log", true)]
    [InlineData("audit.*", "log", false)]
    [InlineData("audit.*", "public.audit", false)]
    [InlineData("audit.log", "mydb.audit.log", true)]
    public void Evaluate_Relations_MatchAsDocumented(string ruleRelation, string statementRelation, bool denied)
    {
        var policy = Compile($$"""{"id": "r", "effect": "deny", "relations": ["{{ruleRelation}}"]}""");
        Assert.Equal(denied, policy.Evaluate(Alice, Select(statementRelation), Monday10Utc, false).Denied);
    }

    [Fact]
    public void Evaluate_KindsCommandsSchemasFlags_AllGivenConditionsMustHold()
    {
        var policy = Compile("""
            {"id": "drop-audit", "effect": "deny", "commands": ["drop  table", "TRUNCATE TABLE"], "schemas": ["audit"]},
            {"id": "cte", "effect": "deny", "kinds": ["read"], "dataModifyingCte": true},
            {"id": "junk", "effect": "deny", "unparsed": true}
            """);

        Assert.Equal("drop-audit", policy.Evaluate(Alice, Facts(StatementClass.Ddl, "DROP TABLE", "audit.log"), Monday10Utc, false).RuleId);
        Assert.False(policy.Evaluate(Alice, Facts(StatementClass.Ddl, "DROP TABLE", "public.log"), Monday10Utc, false).Denied);
        Assert.False(policy.Evaluate(Alice, Facts(StatementClass.Ddl, "DROP INDEX", "audit.log"), Monday10Utc, false).Denied);
        Assert.Equal("cte", policy.Evaluate(Alice, Select("t") with { DataModifyingCte = true }, Monday10Utc, false).RuleId);
        Assert.Equal("junk", policy.Evaluate(Alice, StatementFacts.Unknown, Monday10Utc, false).RuleId);
        Assert.False(policy.Evaluate(Alice, Select("t"), Monday10Utc, false).Denied);
    }

    [Fact]
    public void Evaluate_PersonsRolesUsers_ScopeTheRule()
    {
        var policy = Compile("""
            {"id": "devs", "effect": "deny", "roles": ["developer"], "kinds": ["ddl"]},
            {"id": "bob", "effect": "deny", "persons": ["bob"], "kinds": ["write"]},
            {"id": "people", "effect": "deny", "persons": ["*"], "kinds": ["dcl"]},
            {"id": "batch", "effect": "deny", "databaseUsers": ["batch"], "kinds": ["read"]}
            """);
        var ddl = Facts(StatementClass.Ddl, "CREATE TABLE", "t");
        var dcl = Facts(StatementClass.Dcl, "GRANT", "t");

        Assert.Equal("devs", policy.Evaluate(Alice, ddl, Monday10Utc, false).RuleId);
        Assert.False(policy.Evaluate(Alice with { PersonRole = "admin" }, ddl, Monday10Utc, false).Denied);
        Assert.False(policy.Evaluate(Passthrough, ddl, Monday10Utc, false).Denied);
        Assert.Equal("bob", policy.Evaluate(Alice with { Person = "bob" }, Delete("t"), Monday10Utc, false).RuleId);
        Assert.False(policy.Evaluate(Alice, Delete("t"), Monday10Utc, false).Denied);
        Assert.Equal("people", policy.Evaluate(Alice, dcl, Monday10Utc, false).RuleId);
        Assert.False(policy.Evaluate(Passthrough, dcl, Monday10Utc, false).Denied);
        Assert.Equal("batch", policy.Evaluate(Passthrough with { DatabaseUser = "batch" }, Select("t"), Monday10Utc, false).RuleId);
        Assert.False(policy.Evaluate(Passthrough, Select("t"), Monday10Utc, false).Denied);
    }

    [Fact]
    public void Evaluate_RequireGrant_DeniesWithoutAGrantOnly()
    {
        var policy = Compile("""
            {"id": "prod-grant", "effect": "require-grant", "endpoints": ["prod"]},
            {"id": "mask", "effect": "mask", "columns": [{"table": "users", "column": "email", "mask": "hash"}]}
            """);

        var denied = policy.Evaluate(Alice, Select("users"), Monday10Utc, hasGrant: false);
        var granted = policy.Evaluate(Alice, Select("users"), Monday10Utc, hasGrant: true);

        Assert.True(denied.Denied);
        Assert.Contains("POST /api/v1/access-requests", denied.Message, StringComparison.Ordinal);
        Assert.Contains("'prod-grant'", denied.Message, StringComparison.Ordinal);
        Assert.Equal((false, "mask"), (granted.Denied, granted.RuleId));
    }

    [Fact]
    public void Evaluate_FirstDenyingRuleInDocumentOrder_WinsOverEarlierMasks()
    {
        var policy = Compile("""
            {"id": "mask", "effect": "mask", "columns": [{"table": "users", "column": "email", "mask": "hash"}]},
            {"id": "first", "effect": "deny", "relations": ["users"]},
            {"id": "second", "effect": "deny", "kinds": ["read"]}
            """);

        Assert.Equal("first", policy.Evaluate(Alice, Select("users"), Monday10Utc, false).RuleId);
        Assert.Equal("second", policy.Evaluate(Alice, Select("orders"), Monday10Utc, false).RuleId);
    }

    [Fact]
    public void Evaluate_MasksRedactAndMaxRows_Combine()
    {
        var policy = Compile("""
            {"id": "m1", "effect": "mask", "relations": ["users"], "columns": [{"schema": "public", "table": "users", "column": "email", "mask": "partial"}]},
            {"id": "big", "effect": "limit", "maxRows": 1000},
            {"id": "m2", "effect": "mask", "columns": [{"table": "users", "column": "ssn", "mask": "redact"}]},
            {"id": "small", "effect": "limit", "maxRows": 50, "kinds": ["read"]},
            {"id": "hide", "effect": "redact", "relations": ["users"]}
            """);

        var users = policy.Evaluate(Alice, Select("users"), Monday10Utc, false);
        var orders = policy.Evaluate(Alice, Delete("orders"), Monday10Utc, false);

        Assert.Equal("m1", users.RuleId);
        Assert.Equal(
            [new ColumnMask("public", "users", "email", MaskKind.Partial, "m1"), new ColumnMask(null, "users", "ssn", MaskKind.Redact, "m2")],
            users.Masks);
        Assert.Equal((50L, "small", true, false), (users.MaxRows, users.MaxRowsRuleId, users.RedactValues, users.Denied));
        Assert.Equal("big", orders.RuleId);
        Assert.Equal((1000L, "big", false), (orders.MaxRows, orders.MaxRowsRuleId, orders.RedactValues));
        Assert.Equal([new ColumnMask(null, "users", "ssn", MaskKind.Redact, "m2")], orders.Masks);
    }

    [Fact]
    public void Limits_StrictestApplicableWins_WithItsRule()
    {
        var policy = Compile("""
            {"id": "all", "effect": "limit", "statementsPerSecond": 100, "concurrentSessions": 20},
            {"id": "devs", "effect": "limit", "roles": ["developer"], "statementsPerSecond": 5.5},
            {"id": "night", "effect": "limit", "concurrentSessions": 2, "when": {"from": "22:00", "to": "06:00"}},
            {"id": "rows", "effect": "limit", "maxRows": 10}
            """);

        var day = policy.Limits(Alice, Monday10Utc);
        var night = policy.Limits(Passthrough, Monday10Utc.AddHours(13));

        Assert.Equal((5.5, "devs", 20, "all"), (day.StatementsPerSecond, day.StatementsPerSecondRuleId, day.ConcurrentSessions, day.ConcurrentSessionsRuleId));
        Assert.Equal((100.0, "all", 2, "night"), (night.StatementsPerSecond, night.StatementsPerSecondRuleId, night.ConcurrentSessions, night.ConcurrentSessionsRuleId));
        Assert.Same(SessionLimits.None, Compile("""{"id": "rows", "effect": "limit", "maxRows": 10}""").Limits(Alice, Monday10Utc));
        Assert.Equal(10L, policy.Evaluate(Alice, Select("t"), Monday10Utc, false).MaxRows);
    }

    [Fact]
    public void Applies_NamesEachMatchingRule_ForDryRuns()
    {
        var policy = Compile("""
            {"id": "a", "effect": "deny", "kinds": ["read"]},
            {"id": "b", "effect": "require-grant", "relations": ["users"]},
            {"id": "c", "effect": "limit", "concurrentSessions": 3}
            """);

        var applying = policy.Rules.Where(r => policy.Applies(r.Index, Alice, Select("users"), Monday10Utc)).Select(r => r.Id);

        Assert.Equal(["a", "b"], applying);
        Assert.Equal([new PolicyRuleInfo(0, "a", "deny", true), new PolicyRuleInfo(1, "b", "require-grant", true), new PolicyRuleInfo(2, "c", "limit", false)],
            policy.Rules);
    }
}
