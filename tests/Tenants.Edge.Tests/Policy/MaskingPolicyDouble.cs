using Tenants.Policy.Rules;

namespace Tenants.Edge.Tests.Policy;

/// <summary>
/// A test double for a compiled policy (the compiler is issue 7's): version 1, the same masks for every statement and
/// subject, and redaction of values in events. With <paramref name="announce"/> false it does not list its masks
/// ahead (<see cref="IStatementPolicy.MaskedColumns"/>), so the edge learns them from the first verdict.
/// </summary>
internal sealed class MaskingPolicyDouble(IReadOnlyList<ColumnMask> masks, bool redactValues = true, bool announce = true, int version = 1) : IStatementPolicy
{
    public int Version => version;

    public string VersionHash => "test-double";

    public StatementVerdict Evaluate(PolicySubject subject, StatementFacts statement, DateTimeOffset now, bool hasGrant) =>
        new() { RuleId = "mask-rule", Masks = masks, RedactValues = redactValues };

    public SessionLimits Limits(PolicySubject subject, DateTimeOffset now) => SessionLimits.None;

    public IReadOnlyList<ColumnMask> MaskedColumns(PolicySubject subject) => announce ? masks : [];
}
