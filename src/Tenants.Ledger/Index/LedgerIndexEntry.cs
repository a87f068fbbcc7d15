namespace Tenants.Ledger.Index;

/// <summary>One search hit: the entry exactly as sealed and the fingerprint the index gave its SQL.</summary>
public sealed record LedgerIndexEntry(long LeafIndex, string Entry, string? Fingerprint);
