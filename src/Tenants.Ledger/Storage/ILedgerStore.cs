using Tenants.Ledger.Tiles;

namespace Tenants.Ledger.Storage;

/// <summary>
/// Where a tenant's ledger lives, as the service writes it. Every write is create-only: writing a name that already
/// exists throws <see cref="LedgerBlobExistsException"/>; nothing is ever overwritten or deleted.
/// </summary>
public interface ILedgerStore : ILedgerReader
{
    /// <summary>Writes a sealed block (entries <c>first..last</c>, one canonical line each).</summary>
    Task WriteBlockAsync(string tenantId, LedgerBlock block, CancellationToken cancellationToken = default);

    /// <summary>Writes a signed checkpoint note for the given tree size.</summary>
    Task WriteCheckpointAsync(string tenantId, long treeSize, string note, CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends entries to the tenant's journal (the write-ahead of accepted entries, append blobs under
    /// <c>journal/</c>): <paramref name="entries"/> are leaves <paramref name="firstLeafIndex"/> onwards. Returns when
    /// every one is durable. A batch too big for one append is split into several records, each of whole entries;
    /// a segment is rolled to a new one (created create-only) before the storage's limits.
    /// </summary>
    /// <remarks>
    /// The journal is contiguous: once it holds anything, <paramref name="firstLeafIndex"/> must be the leaf after its
    /// last entry. Appends are conditional on the append position, so two writers cannot interleave.
    /// </remarks>
    /// <exception cref="LedgerJournalConflictException">Another writer appended first, or these leaves are already
    /// journaled. Nothing of this call's batch was written, except (for a batch split into several appends) the
    /// records before the conflict.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="firstLeafIndex"/> would leave a gap after the journal's last entry.</exception>
    Task AppendJournalAsync(
        string tenantId, long firstLeafIndex, IReadOnlyList<ReadOnlyMemory<byte>> entries, CancellationToken cancellationToken = default);

    /// <summary>
    /// Yields the journaled entries from <paramref name="fromLeafIndex"/> on, across segments, in leaf order, stopping
    /// cleanly at a torn last record. Nothing (an empty sequence) if the tenant has no journal.
    /// </summary>
    /// <exception cref="LedgerJournalFormatException">A foreign or corrupt record, or a gap between segments.</exception>
    IAsyncEnumerable<LedgerJournalEntry> ReadJournalAsync(string tenantId, long fromLeafIndex, CancellationToken cancellationToken = default);

    // Hash tiles (C2SP tlog-tiles layout, see LedgerTileName): derived from the entries, written before the checkpoint
    // whose size they describe, so every checkpointed size can be proven from tiles.

    /// <summary>
    /// Writes a hash tile create-only. Writing a tile that already exists with exactly the same bytes succeeds (a retry
    /// after a crash); different bytes throw <see cref="LedgerBlobExistsException"/>.
    /// </summary>
    Task WriteTileAsync(string tenantId, LedgerTileName tile, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default);
}
