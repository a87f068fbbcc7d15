using Tenants.Ledger.Tiles;

namespace Tenants.Ledger.Storage;

/// <summary>
/// Where a tenant's ledger lives, as the service writes it. Every write is create-only: writing a name that already
/// exists throws <see cref="LedgerBlobExistsException"/>; nothing is ever overwritten or deleted. The write-ahead
/// journal is a port of its own, <see cref="ILedgerJournal"/>.
/// </summary>
public interface ILedgerStore : ILedgerReader
{
    /// <summary>Writes a sealed block (entries <c>first..last</c>, one canonical line each).</summary>
    Task WriteBlockAsync(string tenantId, LedgerBlock block, CancellationToken cancellationToken = default);

    /// <summary>Writes a signed checkpoint note for the given tree size.</summary>
    Task WriteCheckpointAsync(string tenantId, long treeSize, string note, CancellationToken cancellationToken = default);

    // Hash tiles (C2SP tlog-tiles layout, see LedgerTileName): derived from the entries, written before the checkpoint
    // whose size they describe, so every checkpointed size can be proven from tiles.

    /// <summary>
    /// Writes a hash tile create-only. Writing a tile that already exists with exactly the same bytes succeeds (a retry
    /// after a crash); different bytes throw <see cref="LedgerBlobExistsException"/>.
    /// </summary>
    Task WriteTileAsync(string tenantId, LedgerTileName tile, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default);

    /// <summary>The tenants that have anything stored, for work that must cover every ledger (index catch-up, rebuilds).</summary>
    IAsyncEnumerable<string> ListTenantsAsync(CancellationToken cancellationToken = default);
}
