using System.Collections.Frozen;

namespace Tenants.Policy.Rules;

/// <summary>
/// Matches the relations a statement names against a rule's list: <c>schema.table</c> matches that table, and an
/// unqualified <c>table</c> in the SQL too (the search_path decides which schema it is, so a rule errs on the side of
/// matching); a bare <c>table</c> matches the table in any schema; <c>schema.*</c> matches every relation qualified
/// with that schema. Lookups use spans, so matching allocates nothing.
/// </summary>
internal sealed class RelationMatcher
{
    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _qualified;
    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _qualifiedTables;
    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _bare;
    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _schemas;

    public RelationMatcher(IEnumerable<string> qualified, IEnumerable<string> bare, IEnumerable<string> schemas)
    {
        var q = qualified.ToFrozenSet(StringComparer.Ordinal);
        _qualified = q.GetAlternateLookup<ReadOnlySpan<char>>();
        _qualifiedTables = q.Select(n => n[(n.LastIndexOf('.') + 1)..]).ToFrozenSet(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        _bare = bare.ToFrozenSet(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        _schemas = schemas.ToFrozenSet(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public bool MatchesAny(IReadOnlyList<string> relations)
    {
        for (var i = 0; i < relations.Count; i++)
        {
            if (Matches(relations[i]))
            {
                return true;
            }
        }

        return false;
    }

    public bool Matches(ReadOnlySpan<char> relation)
    {
        var dot = relation.LastIndexOf('.');
        if (dot < 0)
        {
            return _bare.Contains(relation) || _qualifiedTables.Contains(relation);
        }

        var table = relation[(dot + 1)..];
        var qualifier = relation[..dot];
        var schemaDot = qualifier.LastIndexOf('.');
        var schema = schemaDot < 0 ? qualifier : qualifier[(schemaDot + 1)..];

        // database.schema.table is matched as schema.table.
        var schemaAndTable = schemaDot < 0 ? relation : relation[(schemaDot + 1)..];
        return _bare.Contains(table) || _schemas.Contains(schema) || _qualified.Contains(schemaAndTable);
    }
}
