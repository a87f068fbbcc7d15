using System.Collections.Frozen;
using Tenants.Policy.Classification;

namespace Tenants.Policy.Rules;

/// <summary>
/// One rule, precomputed for matching: hash sets for names, a bit set for kinds, the denial verdict made once. Every
/// condition that is null (or false) is absent and matches anything; the conditions that are present must all hold.
/// </summary>
internal sealed class CompiledRule
{
    public required PolicyRuleInfo Info { get; init; }

    public required RuleEffect Effect { get; init; }

    // Scope: who, where, when.
    public FrozenSet<string>? Endpoints { get; init; }

    public FrozenSet<string>? DatabaseUsers { get; init; }

    public FrozenSet<string>? Persons { get; init; }

    public bool AnyPerson { get; init; }

    public FrozenSet<string>? Roles { get; init; }

    public TimeWindow[]? Windows { get; init; }

    // Statement conditions.
    public int Kinds { get; init; }

    public FrozenSet<string>? Commands { get; init; }

    public RelationMatcher? Relations { get; init; }

    public FrozenSet<string>? Schemas { get; init; }

    public bool MissingWhere { get; init; }

    public bool DataModifyingCte { get; init; }

    public bool Unparsed { get; init; }

    // Effects.
    public StatementVerdict? Denial { get; init; }

    public ColumnMask[] Masks { get; init; } = [];

    public long? MaxRows { get; init; }

    public double? StatementsPerSecond { get; init; }

    public int? ConcurrentSessions { get; init; }

    public bool InScope(PolicySubject subject, DateTimeOffset now) => InSubjectScope(subject) && InWindow(now);

    /// <summary>Whether the rule's who-and-where scope holds (its time windows aside).</summary>
    public bool InSubjectScope(PolicySubject subject)
    {
        if (Endpoints is not null && !Endpoints.Contains(subject.EndpointId))
        {
            return false;
        }

        if (DatabaseUsers is not null && !DatabaseUsers.Contains(subject.DatabaseUser))
        {
            return false;
        }

        if ((Persons is not null || AnyPerson) && (subject.Person is not { } person || !(AnyPerson || Persons!.Contains(person))))
        {
            return false;
        }

        if (Roles is not null && (subject.PersonRole is not { } role || !Roles.Contains(role)))
        {
            return false;
        }

        return true;
    }

    private bool InWindow(DateTimeOffset now)
    {
        if (Windows is { } windows)
        {
            foreach (var window in windows)
            {
                if (window.Contains(now))
                {
                    return true;
                }
            }

            return false;
        }

        return true;
    }

    public bool Matches(StatementFacts statement)
    {
        if (Kinds != 0 && (Kinds & KindBit(statement.Kind)) == 0)
        {
            return false;
        }

        if (Commands is not null && !Commands.Contains(statement.Command))
        {
            return false;
        }

        if (MissingWhere && !statement.MissingWhere)
        {
            return false;
        }

        if (DataModifyingCte && !statement.DataModifyingCte)
        {
            return false;
        }

        if (Unparsed && statement.Parsed)
        {
            return false;
        }

        if (Schemas is not null && !AnyIn(Schemas, statement.Schemas))
        {
            return false;
        }

        return Relations is null || Relations.MatchesAny(statement.Relations);
    }

    public static int KindBit(StatementClass kind) => 1 << (int)kind;

    private static bool AnyIn(FrozenSet<string> set, IReadOnlyList<string> values)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (set.Contains(values[i]))
            {
                return true;
            }
        }

        return false;
    }
}
