namespace Tenants.Policy.Classification;

internal static partial class StatementParser
{
    /// <summary>
    /// The object types of CREATE, ALTER and DROP with the command tags PostgreSQL gives them (its cmdtaglist), longest
    /// first so that <c>USER MAPPING</c> wins over <c>USER</c>. Roles and privileges are DCL; the rest is DDL.
    /// </summary>
    private static readonly ObjectType[] ObjectTypes =
    [
        new("FOREIGN DATA WRAPPER"),
        new("TEXT SEARCH CONFIGURATION"),
        new("TEXT SEARCH DICTIONARY"),
        new("TEXT SEARCH PARSER"),
        new("TEXT SEARCH TEMPLATE"),
        new("MATERIALIZED VIEW", relation: true),
        new("FOREIGN TABLE", relation: true),
        new("EVENT TRIGGER"),
        new("USER MAPPING"),
        new("ACCESS METHOD"),
        new("OPERATOR CLASS"),
        new("OPERATOR FAMILY"),
        new("DEFAULT PRIVILEGES", kind: StatementClass.Dcl),
        new("LARGE OBJECT"),
        new("TABLE", relation: true),
        new("INDEX", relation: true),
        new("VIEW", relation: true),
        new("SEQUENCE", relation: true),
        new("SCHEMA"),
        new("FUNCTION"),
        new("PROCEDURE"),
        new("ROUTINE"),
        new("AGGREGATE"),
        new("TRIGGER"),
        new("TYPE"),
        new("DOMAIN"),
        new("EXTENSION"),
        new("ROLE", kind: StatementClass.Dcl),
        new("USER", name: "ROLE", kind: StatementClass.Dcl),
        new("GROUP", name: "ROLE", kind: StatementClass.Dcl),
        new("DATABASE"),
        new("TABLESPACE"),
        new("POLICY"),
        new("RULE"),
        new("OPERATOR"),
        new("CAST"),
        new("COLLATION"),
        new("CONVERSION"),
        new("LANGUAGE"),
        new("SERVER"),
        new("PUBLICATION"),
        new("SUBSCRIPTION"),
        new("STATISTICS"),
        new("TRANSFORM"),
        new("SYSTEM", kind: StatementClass.Other),
        new("OWNED", kind: StatementClass.Dcl),
    ];

    private static ObjectType? MatchObjectType(ReadOnlySpan<char> sql, ReadOnlySpan<Token> tokens, int i, out int after)
    {
        foreach (var type in ObjectTypes)
        {
            var j = i;
            var matched = true;
            foreach (var word in type.Words)
            {
                if (j >= tokens.Length || tokens[j].Kind != Lexing.SqlTokenKind.Identifier
                    || !tokens[j].Text(sql).Equals(word, StringComparison.OrdinalIgnoreCase))
                {
                    matched = false;
                    break;
                }

                j++;
            }

            if (matched)
            {
                after = j;
                return type;
            }
        }

        after = i;
        return null;
    }

    private sealed class ObjectType
    {
        public ObjectType(string words, string? name = null, StatementClass kind = StatementClass.Ddl, bool relation = false)
        {
            Words = words.Split(' ');
            name ??= words;
            Create = "CREATE " + name;
            Alter = "ALTER " + name;
            Drop = "DROP " + name;
            Kind = kind;
            IsRelation = relation;
        }

        public string[] Words { get; }

        public string Create { get; }

        public string Alter { get; }

        public string Drop { get; }

        public StatementClass Kind { get; }

        /// <summary>Whether the object is a relation (its name belongs in <c>Relations</c>).</summary>
        public bool IsRelation { get; }
    }
}
