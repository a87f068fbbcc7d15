namespace Tenants.PgWire.Backend;

/// <summary>One column of a <see cref="RowDescriptionMessage"/>.</summary>
/// <param name="Name">The column's name as the client sees it (an alias when the query gave one).</param>
/// <param name="TableOid">The OID of the table the column comes from; 0 for a computed expression.</param>
/// <param name="AttributeNumber">The column's attribute number in that table; 0 for a computed expression.</param>
/// <param name="TypeOid">The OID of the column's data type.</param>
/// <param name="Format">0 for text, 1 for binary (the format of this column's values in the DataRows that follow).</param>
public sealed record RowField(string Name, uint TableOid, short AttributeNumber, uint TypeOid, short Format);
