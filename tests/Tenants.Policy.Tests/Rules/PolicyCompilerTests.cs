using Tenants.Policy.Rules;

namespace Tenants.Policy.Tests.Rules;

public sealed class PolicyCompilerTests
{
    private static IReadOnlyList<PolicyProblem> Problems(string document)
    {
        var compilation = PolicyCompiler.Compile(document, 1, "h");
        Assert.Null(compilation.Policy);
        Assert.NotEmpty(compilation.Problems);
        return compilation.Problems;
    }

    private static IReadOnlyList<PolicyProblem> RuleProblems(string rule) => Problems($$"""{"rules": [{{rule}}]}""");

    [Theory]
    [InlineData("{\"rules\": [", "$", "not well-formed JSON")]
    [InlineData("[]", "$", "a policy document is a JSON object, not an array")]
    [InlineData("{}", "$.rules", "rules is required")]
    [InlineData("{\"rules\": {}}", "$.rules", "rules must be an array, not an object")]
    [InlineData("{\"rules\": [], \"extra\": 1}", "$.extra", "unknown field 'extra'; a policy document has version, description, rules")]
    [InlineData("{\"rules\": [], \"version\": true}", "$.version", "version must be a number or a string")]
    [InlineData("{\"rules\": [7]}", "$.rules[0]", "a rule must be an object, not the number 7")]
    public void Compile_BadDocument_NamesThePath(string document, string path, string message)
    {
        var problem = Assert.Single(Problems(document));
        Assert.StartsWith(path, problem.Path, StringComparison.Ordinal);
        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"effect": "deny", "kinds": ["read"]}""", "$.rules[0].id", "id is required")]
    [InlineData("""{"id": " x", "effect": "deny", "kinds": ["read"]}""", "$.rules[0].id", "surrounding spaces")]
    [InlineData("""{"id": "a"}""", "$.rules[0].effect", "effect is required: one of deny, require-grant, mask, redact, limit")]
    [InlineData("""{"id": "a", "effect": "explode"}""", "$.rules[0].effect", "effect 'explode' is not one of")]
    [InlineData("""{"id": "a", "effect": "deny"}""", "$.rules[0]", "a deny rule needs at least one statement condition")]
    [InlineData("""{"id": "a", "effect": "deny", "kind": ["read"]}""", "$.rules[0].kind", "unknown field 'kind'; a deny rule has id, effect, description, endpoints")]
    [InlineData("""{"id": "a", "effect": "deny", "Kinds": ["read"]}""", "$.rules[0].Kinds", "(did you mean 'kinds'?)")]
    [InlineData("""{"id": "a", "effect": "deny", "kinds": ["writes"]}""", "$.rules[0].kinds[0]", "unknown kind 'writes'; kinds are read, write, ddl, dcl, tcl, other, unknown")]
    [InlineData("""{"id": "a", "effect": "deny", "kinds": "write"}""", "$.rules[0].kinds", "kinds must be an array of strings, not the string 'write'")]
    [InlineData("""{"id": "a", "effect": "deny", "kinds": []}""", "$.rules[0].kinds", "kinds is empty")]
    [InlineData("""{"id": "a", "effect": "deny", "kinds": ["read", 3]}""", "$.rules[0].kinds[1]", "must be a non-empty string, not the number 3")]
    [InlineData("""{"id": "a", "effect": "deny", "roles": ["boss"], "kinds": ["ddl"]}""", "$.rules[0].roles[0]", "unknown role 'boss'; roles are owner, admin, auditor, developer")]
    [InlineData("""{"id": "a", "effect": "deny", "commands": ["DROP TABLE;"]}""", "$.rules[0].commands[0]", "is not a command")]
    [InlineData("""{"id": "a", "effect": "deny", "relations": ["a.b.c"]}""", "$.rules[0].relations[0]", "write table, schema.table or schema.*")]
    [InlineData("""{"id": "a", "effect": "deny", "relations": ["*"]}""", "$.rules[0].relations[0]", "is not a relation")]
    [InlineData("""{"id": "a", "effect": "deny", "missingWhere": false}""", "$.rules[0].missingWhere", "can only be true")]
    [InlineData("""{"id": "a", "effect": "deny", "unparsed": "yes"}""", "$.rules[0].unparsed", "must be true, not the string 'yes'")]
    [InlineData("""{"id": "a", "effect": "deny", "kinds": ["ddl"], "message": 5}""", "$.rules[0].message", "message must be a string")]
    [InlineData("""{"id": "a", "effect": "mask", "message": "x", "columns": [{"table": "t", "column": "c", "mask": "hash"}]}""", "$.rules[0].message", "a mask rule has")]
    [InlineData("""{"id": "a", "effect": "mask"}""", "$.rules[0].columns", "a mask rule needs columns")]
    [InlineData("""{"id": "a", "effect": "mask", "columns": [{"table": "t", "mask": "hash"}]}""", "$.rules[0].columns[0].column", "column is required")]
    [InlineData("""{"id": "a", "effect": "mask", "columns": [{"table": "t", "column": "c", "mask": "blur"}]}""", "$.rules[0].columns[0].mask", "mask 'blur' is not one of redact, partial, hash")]
    [InlineData("""{"id": "a", "effect": "mask", "columns": [{"table": "s.t", "column": "c", "mask": "hash"}]}""", "$.rules[0].columns[0].table", "no dots")]
    [InlineData("""{"id": "a", "effect": "mask", "columns": [{"table": "t", "column": "c", "mask": "hash", "type": "text"}]}""", "$.rules[0].columns[0].type", "a column has schema, table, column, mask")]
    [InlineData("""{"id": "a", "effect": "redact", "values": false}""", "$.rules[0].values", "would redact nothing")]
    [InlineData("""{"id": "a", "effect": "limit"}""", "$.rules[0]", "a limit rule needs maxRows, statementsPerSecond or concurrentSessions")]
    [InlineData("""{"id": "a", "effect": "limit", "maxRows": 0}""", "$.rules[0].maxRows", "from 1 to")]
    [InlineData("""{"id": "a", "effect": "limit", "maxRows": 2.5}""", "$.rules[0].maxRows", "whole number")]
    [InlineData("""{"id": "a", "effect": "limit", "statementsPerSecond": -1}""", "$.rules[0].statementsPerSecond", "statementsPerSecond must be a number")]
    [InlineData("""{"id": "a", "effect": "limit", "concurrentSessions": "2"}""", "$.rules[0].concurrentSessions", "not the string '2'")]
    [InlineData("""{"id": "a", "effect": "limit", "concurrentSessions": 2, "kinds": ["read"]}""", "$.rules[0]", "apply only to maxRows")]
    [InlineData("""{"id": "a", "effect": "deny", "kinds": ["read"], "when": {"days": ["someday"]}}""", "$.rules[0].when.days[0]", "unknown day 'someday'")]
    [InlineData("""{"id": "a", "effect": "deny", "kinds": ["read"], "when": {"from": "9:00", "to": "17:00"}}""", "$.rules[0].when.from", "\"HH:mm\"")]
    [InlineData("""{"id": "a", "effect": "deny", "kinds": ["read"], "when": {"from": "09:00", "to": "24:01"}}""", "$.rules[0].when.to", "(or 24:00)")]
    [InlineData("""{"id": "a", "effect": "deny", "kinds": ["read"], "when": {"from": "24:00", "to": "01:00"}}""", "$.rules[0].when.from", "00:00 to 23:59")]
    [InlineData("""{"id": "a", "effect": "deny", "kinds": ["read"], "when": {"from": "09:00"}}""", "$.rules[0].when", "from and to go together")]
    [InlineData("""{"id": "a", "effect": "deny", "kinds": ["read"], "when": {"from": "09:00", "to": "09:00"}}""", "$.rules[0].when", "are both 09:00")]
    [InlineData("""{"id": "a", "effect": "deny", "kinds": ["read"], "when": {"timeZone": "Europe/Berlin"}}""", "$.rules[0].when", "needs days, or from and to")]
    [InlineData("""{"id": "a", "effect": "deny", "kinds": ["read"], "when": {"days": ["mon"], "timeZone": "Mars/Olympus"}}""", "$.rules[0].when.timeZone", "unknown time zone 'Mars/Olympus'")]
    [InlineData("""{"id": "a", "effect": "deny", "kinds": ["read"], "when": {"days": ["mon"], "timeZone": "../../etc/passwd"}}""", "$.rules[0].when.timeZone", "unknown time zone")]
    [InlineData("""{"id": "a", "effect": "deny", "kinds": ["read"], "when": {"days": ["mon"], "not": "yes"}}""", "$.rules[0].when.not", "not must be true or false")]
    [InlineData("""{"id": "a", "effect": "deny", "kinds": ["read"], "when": [{"days": ["mon"]}, 3]}""", "$.rules[0].when[1]", "a time window must be an object")]
    [InlineData("""{"id": "a", "effect": "deny", "kinds": ["read"], "when": []}""", "$.rules[0].when", "an array of 1-50")]
    [InlineData("""{"id": "a", "effect": "deny", "kinds": ["read"], "kinds": ["write"]}""", "$.rules[0].kinds", "appears more than once")]
    [InlineData("""{"id": "a", "effect": "deny", "endpoints": [" prod"], "kinds": ["read"]}""", "$.rules[0].endpoints[0]", "is not a name")]
    public void Compile_BadRule_NamesThePathAndWhatIsAllowed(string rule, string path, string message)
    {
        var problems = RuleProblems(rule);
        Assert.Contains(problems, p => p.Path == path && p.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Compile_SeveralProblems_AllReportedInDocumentOrder_TheSameEveryTime()
    {
        const string document = """
            {"rules": [
              {"id": "a", "effect": "deny", "kinds": ["read"]},
              {"id": "a", "effect": "limit", "maxRows": 0},
              {"id": "c", "effect": "mask", "columns": [{"table": "t", "column": "c", "mask": "x"}], "bogus": 1}
            ]}
            """;

        var first = Problems(document);
        var second = Problems(document);

        Assert.Equal(["$.rules[1].id", "$.rules[1].maxRows", "$.rules[2].bogus", "$.rules[2].columns[0].mask"], first.Select(p => p.Path));
        Assert.Contains("already used by $.rules[0]", first[0].Message, StringComparison.Ordinal);
        Assert.Equal(first, second);
    }

    [Fact]
    public void Compile_FullExampleFromTheDocs_Compiles()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Rules", "policy-example.json");
        var compilation = PolicyCompiler.Compile(File.ReadAllText(path), 7, "hash");
        Assert.Empty(compilation.Problems);
        Assert.Equal(7, compilation.Policy!.Version);
    }

    [Theory]
    [InlineData("""{"rules": []}""")]
    [InlineData("""{"version": 2, "description": "x", "rules": [{"id": "r", "effect": "redact"}]}""")]
    [InlineData("""{"rules": [{"id": "g", "effect": "require-grant", "endpoints": ["prod"], "message": "ask first"}]}""")]
    public void Compile_ValidDocument_HasNoProblems(string document)
    {
        var compilation = PolicyCompiler.Compile(document, 1, "h");
        Assert.Empty(compilation.Problems);
        Assert.NotNull(compilation.Policy);
    }
}
