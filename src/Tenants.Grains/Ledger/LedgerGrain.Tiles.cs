using Microsoft.Extensions.Logging;
using Tenants.Ledger.Checkpoints;
using Tenants.Ledger.Merkle;
using Tenants.Ledger.Storage;
using Tenants.Ledger.Tiles;

namespace Tenants.Grains.Ledger;

/// <summary>
/// Hash tiles (C2SP tlog-tiles): every sealed leaf goes into the tile builder next to the compact range; before a
/// checkpoint for size S is written, the full tiles completed since the last one and the partial tiles of S are, so
/// every checkpointed size can be proven from tiles alone.
/// </summary>
public sealed partial class LedgerGrain
{
    private readonly List<LedgerTile> _unwrittenTiles = [];
    private TileBuilder _tiles = new();

    private void AppendLeaf(ReadOnlySpan<byte> entry)
    {
        var leaf = Rfc6962Hasher.HashLeaf(entry);
        _tree.Append(leaf);
        _tiles.Append(leaf);
        _unwrittenTiles.AddRange(_tiles.DrainCompletedTiles());
    }

    // Full tiles first (oldest first), then the partial tiles of the current size. A tile that is already stored with
    // the same bytes is a retry and succeeds; one stored with other bytes was tampered with: tiles are derived data, so
    // that is logged for tenants-verify to report, and the ledger keeps signing.
    private async Task WriteTilesAsync(bool includePartial, CancellationToken cancellationToken)
    {
        while (_unwrittenTiles.Count > 0)
        {
            await WriteTileAsync(_unwrittenTiles[0], cancellationToken);
            _unwrittenTiles.RemoveAt(0);
        }

        if (includePartial)
        {
            await Task.WhenAll(_tiles.GetPartialTiles().Select(tile => WriteTileAsync(tile, cancellationToken)));
        }
    }

    private async Task WriteTileAsync(LedgerTile tile, CancellationToken cancellationToken)
    {
        try
        {
            await _store.WriteTileAsync(TenantId, tile.Name, tile.Content, cancellationToken);
        }
        catch (LedgerBlobExistsException ex)
        {
            LogTileConflict(ex, TenantId, tile.Name.Path);
        }
    }

    /// <summary>
    /// Restores the tree and tile builder at the newest checkpoint from that size's partial tiles, when they are all
    /// stored and rebuild the checkpoint's signed root; false leaves both empty, to be rebuilt from every block.
    /// </summary>
    private async Task<bool> TryRestoreTilesAsync(long checkpointSize, string? note, CancellationToken cancellationToken)
    {
        _tiles = new TileBuilder();
        _tree = new CompactRange();
        if (checkpointSize == 0)
        {
            return true;
        }

        TileBuilder restored;
        try
        {
            restored = await TileBuilder.RestoreAsync(checkpointSize, new LedgerStoreTileSource(_store, TenantId), cancellationToken);
        }
        catch (LedgerTileMissingException ex)
        {
            LogTilesNotRestored(TenantId, checkpointSize, ex.Message);
            return false;
        }

        var tree = restored.ToCompactRange();
        if (note is null
            || !CheckpointNote.TryOpen(note, [_signer.PublicKey], out var checkpoint, out var error)
            || !checkpoint!.RootHash.AsSpan().SequenceEqual(tree.GetRootHash()))
        {
            LogTilesNotRestored(TenantId, checkpointSize, "the tiles do not rebuild the checkpoint's signed root");
            return false;
        }

        _tiles = restored;
        _tree = tree;
        return true;
    }

    [LoggerMessage(EventId = 2050, EventName = "LedgerTileConflict", Level = LogLevel.Error,
        Message = "Tenant {TenantId}: stored tile {TilePath} differs from the one recomputed from the entries; run tenants-verify")]
    private partial void LogTileConflict(Exception exception, string tenantId, string tilePath);

    [LoggerMessage(EventId = 2051, EventName = "LedgerTilesNotRestored", Level = LogLevel.Warning,
        Message = "Tenant {TenantId}: tiles of checkpoint {TreeSize} not usable ({Reason}); rebuilding the tree and tiles from every block")]
    private partial void LogTilesNotRestored(string tenantId, long treeSize, string reason);
}
