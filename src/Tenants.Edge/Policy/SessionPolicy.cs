using Tenants.Policy.Classification;
using Tenants.Policy.Rules;

namespace Tenants.Edge.Policy;

/// <summary>
/// A session's view of its tenant's policy: the handle it reads for every statement, who it runs as, and its limits
/// (taken from the policy when the session started).
/// </summary>
internal sealed partial class SessionPolicy(EdgePolicyHandle handle, PolicySubject subject, SessionLimits limits, PolicySessionLimiter.Lease? lease)
{
    /// <summary>insufficient_privilege: the policy does not allow the statement.</summary>
    public const string DeniedSqlState = "42501";

    /// <summary>program_limit_exceeded: a rate or row limit of the policy.</summary>
    public const string LimitSqlState = "54000";

    /// <summary>The facts of a FunctionCall message (no SQL text to analyse).</summary>
    private static readonly StatementFacts FunctionCall = new() { Kind = StatementClass.Other, Command = "FUNCTION CALL" };

    public PolicySubject Subject => subject;

    /// <summary>The tenant's policy as it changes.</summary>
    public EdgePolicyHandle Handle => handle;

    /// <summary>The answer of the last <see cref="Check"/> that let a statement run (its masks, row limit, redaction).</summary>
    public StatementVerdict? LastVerdict { get; private set; }

    /// <summary>True when the tenant has a policy now (one handle read and a reference comparison).</summary>
    public bool Active => !ReferenceEquals(handle.Current.Policy, PolicyCompiler.None);

    /// <summary>
    /// The policy's answer for a statement about to go upstream: null to let it run, or the refusal. A simple Query
    /// of several statements is refused whole when any of them is denied. <paramref name="sql"/> is null for a
    /// FunctionCall. A statement longer than the proxy looks at (<paramref name="truncated"/>) is checked by its start
    /// and, for the rest, as input the analyser cannot read (<see cref="StatementFacts.Unknown"/>): a policy that
    /// denies unknown input denies it.
    /// </summary>
    public PolicyRefusal? Check(string? sql, bool simpleQuery, bool functionCall, bool truncated, DateTimeOffset now)
    {
        var current = handle.Current;
        var policy = current.Policy;
        if (ReferenceEquals(policy, PolicyCompiler.None))
        {
            return null;
        }

        if (limits.StatementsPerSecond is { } rate && lease is not null && !lease.TryTakeStatement(rate))
        {
            var rule = limits.StatementsPerSecondRuleId;
            return new PolicyRefusal(LimitSqlState, "limited", rule, policy.Version, policy.VersionHash,
                $"statement refused: more than {rate:0.##} statements per second for '{subject.Person ?? subject.DatabaseUser}' (rule '{rule}')",
                "The tenant's policy limits the rate of statements. Nothing was executed; slow down and try again.");
        }

        var hasGrant = current.HasGrant(subject.EndpointId, subject.Person, now);
        if (functionCall)
        {
            return Deny(policy.Evaluate(subject, FunctionCall, now, hasGrant), policy);
        }

        if (truncated && Deny(policy.Evaluate(subject, StatementFacts.Unknown, now, hasGrant), policy) is { } unreadable)
        {
            return unreadable;
        }

        // A simple Query is split once and each statement analysed in place (no substring per statement).
        var parts = simpleQuery ? StatementAnalyzer.AnalyzeAll(sql) : [];
        if (parts.Count <= 1)
        {
            var facts = parts.Count == 1 ? parts[0] : StatementAnalyzer.Analyze(sql);
            var verdict = policy.Evaluate(subject, facts, now, hasGrant);
            LastVerdict = verdict;
            return Deny(verdict, policy) ?? CopyOutUnderRowLimit(verdict, facts, sql, policy);
        }

        // Several statements in one Query: any denial refuses the whole string; otherwise what applies to any of them
        // applies to the string (masks of all, the smallest row limit, redaction if any asks).
        var combined = StatementVerdict.Allow;
        foreach (var part in parts)
        {
            var verdict = policy.Evaluate(subject, part, now, hasGrant);
            if (Deny(verdict, policy) is { } refusal)
            {
                return refusal;
            }

            combined = Combine(combined, verdict);
        }

        LastVerdict = combined;
        return SeveralUnderRowLimit(combined, policy);
    }

    /// <summary>Forgets the last verdict (the statement it was for has been enqueued).</summary>
    public StatementVerdict? TakeVerdict()
    {
        var verdict = LastVerdict;
        LastVerdict = null;
        return verdict;
    }

    private static StatementVerdict Combine(StatementVerdict a, StatementVerdict b) =>
        !b.Applied ? a : !a.Applied ? b : a with
        {
            Masks = [.. a.Masks, .. b.Masks],
            RedactValues = a.RedactValues || b.RedactValues,
            MaxRows = a.MaxRows is null || (b.MaxRows is not null && b.MaxRows < a.MaxRows) ? b.MaxRows : a.MaxRows,
            MaxRowsRuleId = a.MaxRows is null || (b.MaxRows is not null && b.MaxRows < a.MaxRows) ? b.MaxRowsRuleId : a.MaxRowsRuleId,
        };

    private static PolicyRefusal? Deny(StatementVerdict verdict, IStatementPolicy policy) => verdict.Denied
        ? new PolicyRefusal(DeniedSqlState, "denied", verdict.RuleId, policy.Version, policy.VersionHash,
            verdict.Message ?? $"statement denied by the tenant's policy (rule '{verdict.RuleId}')",
            "The tenant's policy does not allow this statement here. Nothing was executed; ask an admin of the tenant about the rule.")
        : null;
}
