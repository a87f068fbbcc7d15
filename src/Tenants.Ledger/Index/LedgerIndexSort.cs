namespace Tenants.Ledger.Index;

/// <summary>
/// The order of a search. Time order is ledger order (leaf index): the order the tenant's ledger sequenced the events,
/// which is their time order up to the clock skew between edge nodes. Duration and rows orders leave out events
/// without that value and break ties by leaf index.
/// </summary>
public enum LedgerIndexSort
{
    /// <summary>Newest first (the default).</summary>
    TimeDescending,

    /// <summary>Oldest first.</summary>
    TimeAscending,

    /// <summary>Longest first.</summary>
    DurationDescending,

    /// <summary>Shortest first.</summary>
    DurationAscending,

    /// <summary>Most rows first.</summary>
    RowsDescending,

    /// <summary>Fewest rows first.</summary>
    RowsAscending,
}
