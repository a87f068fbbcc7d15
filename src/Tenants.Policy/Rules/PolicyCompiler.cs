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

    /// <summary>Compiles <paramref name="document"/> (placeholder: issue 7's model replaces it).</summary>
    public static PolicyCompilation Compile(string document, int version, string versionHash) =>
        new(null, [new PolicyProblem("$", "policy compilation is not implemented yet")]);

    private sealed class NoPolicy : IStatementPolicy
    {
        public int Version => 0;

        public string VersionHash => "";

        public StatementVerdict Evaluate(PolicySubject subject, StatementFacts statement, DateTimeOffset now, bool hasGrant) => StatementVerdict.Allow;

        public SessionLimits Limits(PolicySubject subject, DateTimeOffset now) => SessionLimits.None;
    }
}
