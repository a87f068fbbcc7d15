namespace Tenants.Policy.Rules;

/// <summary>A problem in a policy document, with the JSON path it is at.</summary>
public sealed record PolicyProblem(string Path, string Message);

/// <summary>The outcome of compiling a policy document: the policy, or the problems that stop it.</summary>
public sealed record PolicyCompilation(IStatementPolicy? Policy, IReadOnlyList<PolicyProblem> Problems);

/// <summary>Compiles published policy documents into <see cref="IStatementPolicy"/>.</summary>
public static class PolicyCompiler
{
    /// <summary>The policy of a tenant that has published none: allows everything, limits nothing.</summary>
    public static IStatementPolicy None { get; } = new NoPolicy();

    /// <summary>
    /// Compiles <paramref name="document"/> (the policy language: docs/policy.md). Either a <see cref="CompiledPolicy"/>
    /// and no problems, or no policy and every problem found, by JSON path, in document order. Deterministic: the same
    /// document always compiles the same way. Never throws for bad input.
    /// </summary>
    public static PolicyCompilation Compile(string document, int version, string versionHash)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(versionHash);
        var reader = new PolicyDocumentReader();
        var rules = reader.Read(document);
        return rules is null || reader.Problems.Count > 0
            ? new PolicyCompilation(null, reader.Problems)
            : new PolicyCompilation(new CompiledPolicy(version, versionHash, [.. rules]), []);
    }

    /// <summary>The effects a rule may have, in the order the documentation lists them.</summary>
    public static IReadOnlyList<string> Effects => PolicyDocumentReader.Effects;

    private sealed class NoPolicy : IStatementPolicy
    {
        public int Version => 0;

        public string VersionHash => "";

        public StatementVerdict Evaluate(PolicySubject subject, StatementFacts statement, DateTimeOffset now, bool hasGrant) => StatementVerdict.Allow;

        public SessionLimits Limits(PolicySubject subject, DateTimeOffset now) => SessionLimits.None;
    }
}
