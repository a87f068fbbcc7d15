namespace Tenants.Ledger.Storage;

/// <summary>
/// The write-ahead of a tenant's ledger: entries the ledger grain has acknowledged but may not have sealed into blocks
/// yet. Not part of what is verified (blocks and checkpoints are), so it lives apart from the ledger (its own blob
/// container, or a PostgreSQL table) and forgets what is sealed. One writer per tenant: the contiguity rule below is
/// the fence that stops a duplicate ledger grain activation.
/// </summary>
public interface ILedgerJournal
{
    /// <summary>
    /// Appends entries to the tenant's journal: <paramref name="entries"/> are leaves <paramref name="firstLeafIndex"/>
    /// onwards. Returns when every one is durable (survives a crash of the process and of the storage behind it).
    /// A batch too big for one record is split into several, each of whole entries.
    /// </summary>
    /// <remarks>
    /// The journal is contiguous and create-only: once it holds anything, <paramref name="firstLeafIndex"/> must be the
    /// leaf after its last entry, and a journaled leaf is never written again. An empty journal accepts any first leaf
    /// (the ledger's sealed size).
    /// </remarks>
    /// <exception cref="LedgerJournalConflictException">Another writer appended first, or these leaves are already
    /// journaled. Nothing of this call's batch was written, except (where the journal cannot write a batch atomically)
    /// the records before the conflict.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="firstLeafIndex"/> would leave a gap after the journal's last entry.</exception>
    Task AppendAsync(string tenantId, long firstLeafIndex, IReadOnlyList<ReadOnlyMemory<byte>> entries, CancellationToken cancellationToken = default);

    /// <summary>
    /// Yields the journaled entries from <paramref name="fromLeafIndex"/> on, in leaf order, stopping cleanly at a torn
    /// last record. Nothing (an empty sequence) if the tenant has no journal. Entries below what was trimmed may be
    /// gone: the sequence may start after <paramref name="fromLeafIndex"/>.
    /// </summary>
    /// <exception cref="LedgerJournalFormatException">A foreign or corrupt record, or a gap inside the journal.</exception>
    IAsyncEnumerable<LedgerJournalEntry> ReadAsync(string tenantId, long fromLeafIndex, CancellationToken cancellationToken = default);

    /// <summary>
    /// Forgets records whose entries all lie below <paramref name="belowLeafIndex"/> (entries sealed into blocks, and
    /// older than anything the caller still needs to read back). Keeps at least the newest record, which fences the next
    /// append. Best effort: a journal may keep more than asked (whole segments only, for example).
    /// </summary>
    Task TrimAsync(string tenantId, long belowLeafIndex, CancellationToken cancellationToken = default);
}
