namespace Tenants.Ledger.Tiles;

/// <summary>Reading a tile for a given tree size: the partial tile written for it, else the full tile that superseded it.</summary>
internal static class TileReads
{
    /// <summary>Returns exactly <c>name.ContentLength</c> bytes: the tile, or the first entries of its full tile.</summary>
    public static async Task<byte[]> ReadAsync(ILedgerTileSource source, LedgerTileName name, long treeSize, CancellationToken cancellationToken)
    {
        var content = await source.ReadTileAsync(name, cancellationToken).ConfigureAwait(false);
        var read = name;
        if (content is null && !name.IsFull)
        {
            read = name.Full;
            content = await source.ReadTileAsync(read, cancellationToken).ConfigureAwait(false);
        }

        if (content is null)
        {
            throw new LedgerTileMissingException(name.IsFull
                ? $"Tile {name.Path}, needed for tree size {treeSize}, is not stored."
                : $"Tile {name.Path}, needed for tree size {treeSize}, is not stored, and neither is {name.Full.Path}.");
        }

        if (content.Length != read.ContentLength)
        {
            throw new LedgerTileMissingException($"Tile {read.Path} is {content.Length} bytes; a tile of width {read.Width} is {read.ContentLength}.");
        }

        return content.Length == name.ContentLength ? content : content[..name.ContentLength];
    }
}
