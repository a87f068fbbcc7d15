namespace Tenants.Policy.Rules;

/// <summary>
/// A compiled policy document: the rules in document order, each precomputed for matching. Evaluation walks the rules
/// once (O(rules), a few hash lookups each) and allocates nothing when no rule applies. Immutable and thread-safe.
/// </summary>
public sealed class CompiledPolicy : IStatementPolicy
{
    private readonly CompiledRule[] _statementRules;
    private readonly CompiledRule[] _sessionRules;
    private readonly CompiledRule[] _all;

    internal CompiledPolicy(int version, string versionHash, CompiledRule[] rules)
    {
        Version = version;
        VersionHash = versionHash;
        _all = rules;
        _statementRules = [.. rules.Where(r => r.Info.StatementLevel)];
        _sessionRules = [.. rules.Where(r => r.StatementsPerSecond is not null || r.ConcurrentSessions is not null)];
        Rules = [.. rules.Select(r => r.Info)];
    }

    public int Version { get; }

    public string VersionHash { get; }

    /// <summary>The rules in document order.</summary>
    public IReadOnlyList<PolicyRuleInfo> Rules { get; }

    /// <summary>
    /// Denies with the first deny rule (or require-grant rule, when there is no grant) that applies, in document order;
    /// otherwise combines what the applying mask, redact and limit rules ask for: every mask, the smallest maxRows,
    /// redaction if any asks for it; <see cref="StatementVerdict.RuleId"/> is the first of them.
    /// </summary>
    public StatementVerdict Evaluate(PolicySubject subject, StatementFacts statement, DateTimeOffset now, bool hasGrant)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(statement);
        string? first = null;
        ColumnMask[]? singleMasks = null;
        List<ColumnMask>? masks = null;
        long? maxRows = null;
        string? maxRowsRule = null;
        var redact = false;
        foreach (var rule in _statementRules)
        {
            if (!rule.Matches(statement) || !rule.InScope(subject, now))
            {
                continue;
            }

            switch (rule.Effect)
            {
                case RuleEffect.Deny:
                    return rule.Denial!;
                case RuleEffect.RequireGrant:
                    if (!hasGrant)
                    {
                        return rule.Denial!;
                    }

                    continue;
                case RuleEffect.Mask:
                    if (singleMasks is null)
                    {
                        singleMasks = rule.Masks;
                    }
                    else
                    {
                        masks ??= [.. singleMasks];
                        masks.AddRange(rule.Masks);
                    }

                    break;
                case RuleEffect.Redact:
                    redact = true;
                    break;
                case RuleEffect.Limit:
                    if (maxRows is null || rule.MaxRows < maxRows)
                    {
                        maxRows = rule.MaxRows;
                        maxRowsRule = rule.Info.Id;
                    }

                    break;
            }

            first ??= rule.Info.Id;
        }

        if (first is null)
        {
            return StatementVerdict.Allow;
        }

        return new StatementVerdict
        {
            RuleId = first,
            Masks = (IReadOnlyList<ColumnMask>?)masks ?? singleMasks ?? [],
            MaxRows = maxRows,
            MaxRowsRuleId = maxRowsRule,
            RedactValues = redact,
        };
    }

    /// <summary>
    /// Every column a mask rule could hide from <paramref name="subject"/>'s session, whatever the time or statement:
    /// what the edge looks up in the catalog when the session starts, so the first masked statement is exact.
    /// </summary>
    public IReadOnlyList<ColumnMask> MaskedColumns(PolicySubject subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        List<ColumnMask>? masks = null;
        foreach (var rule in _all)
        {
            if (rule.Masks.Length > 0 && rule.InSubjectScope(subject))
            {
                (masks ??= []).AddRange(rule.Masks);
            }
        }

        return (IReadOnlyList<ColumnMask>?)masks ?? [];
    }

    /// <summary>The strictest rate and concurrency limits among the limit rules whose scope holds.</summary>
    public SessionLimits Limits(PolicySubject subject, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(subject);
        double? rate = null;
        string? rateRule = null;
        int? sessions = null;
        string? sessionsRule = null;
        foreach (var rule in _sessionRules)
        {
            if (!rule.InScope(subject, now))
            {
                continue;
            }

            if (rule.StatementsPerSecond is { } r && (rate is null || r < rate))
            {
                (rate, rateRule) = (r, rule.Info.Id);
            }

            if (rule.ConcurrentSessions is { } s && (sessions is null || s < sessions))
            {
                (sessions, sessionsRule) = (s, rule.Info.Id);
            }
        }

        return rate is null && sessions is null
            ? SessionLimits.None
            : new SessionLimits { StatementsPerSecond = rate, StatementsPerSecondRuleId = rateRule, ConcurrentSessions = sessions, ConcurrentSessionsRuleId = sessionsRule };
    }

    /// <summary>
    /// Whether rule <paramref name="index"/> (see <see cref="Rules"/>) applies to the statement: its scope and its
    /// statement conditions hold. A require-grant rule applies whether or not there is a grant; a session-level limit
    /// rule never applies to a statement. For dry-runs and explanations, not the hot path.
    /// </summary>
    public bool Applies(int index, PolicySubject subject, StatementFacts statement, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(statement);
        var rule = _all[index];
        return rule.Info.StatementLevel && rule.Matches(statement) && rule.InScope(subject, now);
    }
}
