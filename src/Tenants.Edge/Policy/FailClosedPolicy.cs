using Tenants.Policy.Rules;

namespace Tenants.Edge.Policy;

/// <summary>
/// What the edge enforces for a published policy it cannot compile and has no earlier compiled version of: every
/// statement is denied under the rule <see cref="RuleId"/>. The tenant grain refuses documents that do not compile,
/// so this only happens when nodes run different compiler versions; failing closed keeps a policy from being skipped.
/// </summary>
internal sealed class FailClosedPolicy(int version, string versionHash) : IStatementPolicy
{
    public const string RuleId = "tenants:policy-not-compiled";

    public int Version => version;

    public string VersionHash => versionHash;

    public StatementVerdict Evaluate(PolicySubject subject, StatementFacts statement, DateTimeOffset now, bool hasGrant) => new()
    {
        Denied = true,
        RuleId = RuleId,
        Message = $"statement denied: policy version {version} of this tenant could not be compiled by the audit proxy, which fails closed (rule '{RuleId}')",
    };

    public SessionLimits Limits(PolicySubject subject, DateTimeOffset now) => SessionLimits.None;
}
