namespace Tenants.Ledger.Storage;

/// <summary>What one journal segment holds (<see cref="LedgerJournalRecord.ReadSegment"/>).</summary>
/// <param name="Entries">Its entries in leaf order.</param>
/// <param name="NextLeafIndex">The leaf after its last complete record.</param>
/// <param name="Records">How many complete records it holds.</param>
/// <param name="ValidLength">Bytes up to the end of its last complete record.</param>
/// <param name="Torn">Whether an incomplete record follows; a writer must not append after it.</param>
public sealed record LedgerJournalSegment(IReadOnlyList<LedgerJournalEntry> Entries, long NextLeafIndex, int Records, long ValidLength, bool Torn);
