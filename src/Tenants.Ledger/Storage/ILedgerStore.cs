using Tenants.Ledger.Tiles;

namespace Tenants.Ledger.Storage;

/// <summary>
/// Where a tenant's ledger lives. Every write is create-only: writing a name that already exists throws
/// <see cref="LedgerBlobExistsException"/>; nothing is ever overwritten or deleted.
/// </summary>
public interface ILedgerStore
{
    /// <summary>Writes a sealed block (entries <c>first..last</c>, one canonical line each).</summary>
    Task WriteBlockAsync(string tenantId, LedgerBlock block, CancellationToken cancellationToken = default);

    /// <summary>Writes a signed checkpoint note for the given tree size.</summary>
    Task WriteCheckpointAsync(string tenantId, long treeSize, string note, CancellationToken cancellationToken = default);

    /// <summary>Lists the tenant's blocks ordered by first leaf index.</summary>
    IAsyncEnumerable<LedgerBlockName> ListBlocksAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>Reads a block's entries exactly as stored.</summary>
    Task<LedgerBlock> ReadBlockAsync(string tenantId, LedgerBlockName name, CancellationToken cancellationToken = default);

    /// <summary>Lists the tree sizes of the tenant's checkpoints in ascending order.</summary>
    IAsyncEnumerable<long> ListCheckpointsAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>Reads the checkpoint note written for <paramref name="treeSize"/>.</summary>
    Task<string> ReadCheckpointAsync(string tenantId, long treeSize, CancellationToken cancellationToken = default);

    // Hash tiles (C2SP tlog-tiles layout, see LedgerTileName): derived from the entries, written before the checkpoint
    // whose size they describe, so every checkpointed size can be proven from tiles.

    /// <summary>
    /// Writes a hash tile create-only. Writing a tile that already exists with exactly the same bytes succeeds (a retry
    /// after a crash); different bytes throw <see cref="LedgerBlobExistsException"/>.
    /// </summary>
    Task WriteTileAsync(string tenantId, LedgerTileName tile, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default);

    /// <summary>Reads a hash tile exactly as stored, or <see langword="null"/> when it is not stored.</summary>
    Task<byte[]?> ReadTileAsync(string tenantId, LedgerTileName tile, CancellationToken cancellationToken = default);

    /// <summary>Lists the tenant's hash tiles (full and partial), in no particular order.</summary>
    IAsyncEnumerable<LedgerTileName> ListTilesAsync(string tenantId, CancellationToken cancellationToken = default);
}
