namespace Tenants.Ledger.Storage;

/// <summary>One entry read back from the journal: its leaf index and its canonical bytes.</summary>
public readonly record struct LedgerJournalEntry(long LeafIndex, ReadOnlyMemory<byte> Entry);
