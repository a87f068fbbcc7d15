namespace Tenants.Ledger.Index;

/// <summary>An indexed field whose values a facet counts.</summary>
public enum LedgerIndexFacetField
{
    /// <summary>The entry kind.</summary>
    Kind,

    /// <summary>The statement class.</summary>
    StatementClass,

    /// <summary>The endpoint id.</summary>
    Endpoint,

    /// <summary>The database user.</summary>
    DatabaseUser,

    /// <summary>The authenticated person.</summary>
    Person,

    /// <summary>The SQLSTATE of errors.</summary>
    SqlState,

    /// <summary>The command tag.</summary>
    CommandTag,
}
