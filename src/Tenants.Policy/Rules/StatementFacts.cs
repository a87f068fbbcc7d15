using Tenants.Policy.Classification;

namespace Tenants.Policy.Rules;

/// <summary>
/// What the classifier knows about one statement: the facts policy rules match on. Produced by the statement analyser
/// (issue 7); never null fields, empty lists when nothing is known.
/// </summary>
public sealed record StatementFacts
{
    /// <summary>Facts for input that could not be analysed (empty, cut, or not SQL the analyser understands).</summary>
    public static StatementFacts Unknown { get; } = new() { Kind = StatementClass.Unknown, Command = "UNKNOWN", Parsed = false };

    /// <summary>The broad kind: read, write, ddl, dcl, tcl, other (utility) or unknown.</summary>
    public required StatementClass Kind { get; init; }

    /// <summary>The command in upper case as PostgreSQL names it in its command tags: SELECT, UPDATE, DROP TABLE, COPY, ...; UNKNOWN when unknown.</summary>
    public required string Command { get; init; }

    /// <summary>Relations the statement names, lower-cased unless quoted, schema-qualified as written (<c>public.users</c> or <c>users</c>).</summary>
    public IReadOnlyList<string> Relations { get; init; } = [];

    /// <summary>Schemas named explicitly by the statement's relations (and by schema-level DDL such as DROP SCHEMA).</summary>
    public IReadOnlyList<string> Schemas { get; init; } = [];

    /// <summary>True when a WITH query contains INSERT, UPDATE, DELETE or MERGE (a read on the outside that writes).</summary>
    public bool DataModifyingCte { get; init; }

    /// <summary>True for an UPDATE or DELETE (top level or in a CTE) without a WHERE clause.</summary>
    public bool MissingWhere { get; init; }

    /// <summary>False when the analyser could not make sense of the statement; rules may deny such input.</summary>
    public bool Parsed { get; init; } = true;
}
