using Tenants.Ledger.Tiles;

namespace Tenants.Ledger.Storage;

/// <summary>
/// What a verifier reads of a tenant's ledger: sealed blocks and signed checkpoints, wherever they are kept (the
/// service's storage, a copied folder, an export bundle). Read-only copies implement only this.
/// </summary>
public interface ILedgerReader
{
    /// <summary>Lists the tenant's blocks ordered by first leaf index.</summary>
    IAsyncEnumerable<LedgerBlockName> ListBlocksAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>Reads a block's entries exactly as stored.</summary>
    /// <exception cref="LedgerBlockFormatException">The stored block cannot be decoded.</exception>
    Task<LedgerBlock> ReadBlockAsync(string tenantId, LedgerBlockName name, CancellationToken cancellationToken = default);

    /// <summary>Lists the tree sizes of the tenant's checkpoints in ascending order.</summary>
    IAsyncEnumerable<long> ListCheckpointsAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>Reads the checkpoint note written for <paramref name="treeSize"/>.</summary>
    Task<string> ReadCheckpointAsync(string tenantId, long treeSize, CancellationToken cancellationToken = default);

    /// <summary>Reads a hash tile exactly as stored, or <see langword="null"/> when it is not stored.</summary>
    Task<byte[]?> ReadTileAsync(string tenantId, LedgerTileName tile, CancellationToken cancellationToken = default);

    /// <summary>Lists the tenant's hash tiles (full and partial), in no particular order; nothing if the copy has none.</summary>
    IAsyncEnumerable<LedgerTileName> ListTilesAsync(string tenantId, CancellationToken cancellationToken = default);
}
