using Tenants.Policy.Rules;

namespace Tenants.Edge.Tests.Policy;

/// <summary>
/// A test double of a compiled policy (the real policy model is built elsewhere): denies statements whose command
/// starts with one of <see cref="DeniedCommands"/> under rule <see cref="DenyRuleId"/>, and sets the session limits
/// given, and limits the rows of statements naming table <c>t</c> to <see cref="MaxRows"/> under rule
/// <see cref="RowLimitRuleId"/> when set. Records the subjects it saw.
/// </summary>
public sealed class StatementPolicyStandIn(int version = 3, string versionHash = "ab12cd34") : IStatementPolicy
{
    public const string DenyRuleId = "no-drop";

    public const string RowLimitRuleId = "cap";

    public long? MaxRows { get; init; }

    public IReadOnlyList<string> DeniedCommands { get; init; } = ["DROP"];

    public SessionLimits SessionLimits { get; init; } = SessionLimits.None;

    public List<PolicySubject> Subjects { get; } = [];

    public int Version => version;

    public string VersionHash => versionHash;

    public StatementVerdict Evaluate(PolicySubject subject, StatementFacts statement, DateTimeOffset now, bool hasGrant)
    {
        lock (Subjects)
        {
            Subjects.Add(subject);
        }

        return DeniedCommands.Any(c => statement.Command.StartsWith(c, StringComparison.Ordinal))
            ? new StatementVerdict { Denied = true, RuleId = DenyRuleId, Message = $"statement denied by rule '{DenyRuleId}': {statement.Command} is not allowed" }
            : MaxRows is { } max && statement.Relations.Contains("t")
                ? new StatementVerdict { RuleId = RowLimitRuleId, MaxRows = max, MaxRowsRuleId = RowLimitRuleId }
                : StatementVerdict.Allow;
    }

    public SessionLimits Limits(PolicySubject subject, DateTimeOffset now) => SessionLimits;
}
