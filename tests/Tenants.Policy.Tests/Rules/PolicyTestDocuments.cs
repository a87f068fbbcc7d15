using Tenants.Policy.Classification;
using Tenants.Policy.Rules;

namespace Tenants.Policy.Tests.Rules;

/// <summary>Compiling documents that must compile, and statements to evaluate, for the rule tests.</summary>
internal static class PolicyTestDocuments
{
    public static readonly DateTimeOffset Monday10Utc = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    public static readonly PolicySubject Alice = new("prod", "app", "alice", "developer");

    public static readonly PolicySubject Passthrough = new("prod", "app");

    public static CompiledPolicy Compile(string rules)
    {
        var compilation = PolicyCompiler.Compile($$"""{"rules": [{{rules}}]}""", 3, "abc");
        Assert.True(compilation.Problems.Count == 0, string.Join("; ", compilation.Problems.Select(p => $"{p.Path}: {p.Message}")));
        return Assert.IsType<CompiledPolicy>(compilation.Policy);
    }

    public static StatementFacts Facts(StatementClass kind, string command, params string[] relations) => new()
    {
        Kind = kind,
        Command = command,
        Relations = relations,
        Schemas = [.. relations.Where(r => r.Contains('.')).Select(r => r[..r.LastIndexOf('.')]).Distinct()],
    };

    public static StatementFacts Select(params string[] relations) => Facts(StatementClass.Read, "SELECT", relations);

    public static StatementFacts Delete(string relation, bool missingWhere = false) =>
        Facts(StatementClass.Write, "DELETE", relation) with { MissingWhere = missingWhere };
}
