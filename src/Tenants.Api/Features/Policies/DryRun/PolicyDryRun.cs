using Tenants.Api.Features.Events.List;
using Tenants.Policy.Rules;

namespace Tenants.Api.Features.Policies.DryRun;

/// <summary>Evaluates a compiled policy on statement events one by one and keeps the counts a dry-run answers with.</summary>
internal sealed class PolicyDryRun(CompiledPolicy policy, IReadOnlyDictionary<string, string> roles)
{
    private const int MaxEventIds = 20;
    private const int MaxSamples = 50;
    private const int MaxSql = 500;

    private readonly int[] _matched = new int[policy.Rules.Count];
    private readonly List<string>[] _eventIds = [.. policy.Rules.Select(_ => new List<string>())];
    private readonly List<DryRunSample> _samples = [];
    private int _withoutSql;
    private int _denied;
    private int _masked;
    private int _limited;
    private int _redacted;

    public int Examined { get; private set; }

    public void Add(EventItem item)
    {
        if (item.Sql is not { Length: > 0 } sql)
        {
            _withoutSql++;
            return;
        }

        Examined++;
        var facts = StatementAnalyzer.Analyze(sql);
        var person = item.Person;
        var subject = new PolicySubject(item.Endpoint, item.User ?? "", person, person is not null && roles.TryGetValue(person, out var role) ? role : null);
        foreach (var rule in policy.Rules)
        {
            if (policy.Applies(rule.Index, subject, facts, item.Time))
            {
                _matched[rule.Index]++;
                if (_eventIds[rule.Index].Count < MaxEventIds)
                {
                    _eventIds[rule.Index].Add(item.Id);
                }
            }
        }

        var verdict = policy.Evaluate(subject, facts, item.Time, hasGrant: false);
        if (!verdict.Applied)
        {
            return;
        }

        string decision;
        if (verdict.Denied)
        {
            _denied++;
            decision = "deny";
        }
        else
        {
            List<string> effects = [];
            if (NamesAMaskedTable(verdict.Masks, facts))
            {
                _masked++;
                effects.Add("mask");
            }

            if (verdict.MaxRows is not null)
            {
                _limited++;
                effects.Add("limit");
            }

            if (verdict.RedactValues)
            {
                _redacted++;
                effects.Add("redact");
            }

            if (effects.Count == 0)
            {
                return;
            }

            decision = string.Join('+', effects);
        }

        if (_samples.Count < MaxSamples)
        {
            _samples.Add(new DryRunSample
            {
                EventId = item.Id,
                Time = item.Time,
                Sql = sql.Length <= MaxSql ? sql : sql[..MaxSql],
                Decision = decision,
                RuleId = verdict.RuleId!,
            });
        }
    }

    /// <summary>
    /// Whether the statement names a table a mask is for. The edge masks by the result's columns, which a dry-run
    /// cannot see; a statement that names none of the tables is not counted as masked.
    /// </summary>
    private static bool NamesAMaskedTable(IReadOnlyList<ColumnMask> masks, StatementFacts facts)
    {
        foreach (var mask in masks)
        {
            foreach (var relation in facts.Relations)
            {
                var dot = relation.LastIndexOf('.');
                var table = dot < 0 ? relation : relation[(dot + 1)..];
                var schema = dot < 0 ? null : relation[..dot];
                if (table == mask.Table && (mask.Schema is null || schema is null || schema == mask.Schema || schema.EndsWith("." + mask.Schema, StringComparison.Ordinal)))
                {
                    return true;
                }
            }
        }

        return false;
    }

    public DryRunResponse Response(DateTimeOffset from, DateTimeOffset to, bool complete) => new()
    {
        Examined = Examined,
        WithoutSql = _withoutSql,
        From = from,
        To = to,
        Complete = complete,
        Note = "Evaluated as if nobody held an access grant (require-grant rules count as denials), with each person's current role; "
            + "statementsPerSecond and concurrentSessions limit sessions and are not replayed.",
        Rules = [.. policy.Rules.Select(r => new DryRunRule { RuleId = r.Id, Effect = r.Effect, Matched = _matched[r.Index], EventIds = _eventIds[r.Index] })],
        Totals = new DryRunTotals { Denied = _denied, Masked = _masked, Limited = _limited, Redacted = _redacted },
        Samples = _samples,
    };
}
