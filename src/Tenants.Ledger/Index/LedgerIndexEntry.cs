using Tenants.Ledger.Storage;

namespace Tenants.Ledger.Index;

/// <summary>One search hit: the entry exactly as sealed and the fingerprint the index gave its SQL.</summary>
public sealed record LedgerIndexEntry(long LeafIndex, string Entry, string? Fingerprint)
{
    /// <summary>The block the entry was indexed from, when the index recorded it (rows indexed before migration 0006 have none).</summary>
    public LedgerBlockName? Block { get; init; }

    /// <summary>The entry's value in the duration or rows order, for the paging cursor of those orders.</summary>
    public long? SortValue { get; init; }
}
