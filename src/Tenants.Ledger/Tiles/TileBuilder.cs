using Tenants.Ledger.Merkle;

namespace Tenants.Ledger.Tiles;

/// <summary>
/// Builds the hash tiles of a growing tree: fed leaf hashes in order, it hands out every full tile as it completes
/// (<see cref="DrainCompletedTiles"/>) and the partial tiles of the current size on demand
/// (<see cref="GetPartialTiles"/>). It keeps only the unfinished tile of each level (at most 8 KiB a level), and can be
/// restored at a size from that size's partial tiles alone (<see cref="Restore"/>, <see cref="RestoreAsync"/>).
/// </summary>
public sealed class TileBuilder
{
    private const int HashSize = Rfc6962Hasher.HashSize;
    private const int TileBytes = LedgerTileName.FullWidth * HashSize;

    // The unfinished tile of each level (bottom up) and how many hashes it holds.
    private readonly byte[][] _open = new byte[LedgerTileName.MaxLevels][];
    private readonly int[] _widths = new int[LedgerTileName.MaxLevels];
    private readonly List<LedgerTile> _completed = [];

    /// <summary>Creates the builder of the empty tree.</summary>
    public TileBuilder()
    {
    }

    /// <summary>Leaves appended so far (the tree size).</summary>
    public long Size { get; private set; }

    /// <summary>Appends one leaf hash; completes a level-0 tile every 256 leaves, and higher tiles above it.</summary>
    public void Append(ReadOnlySpan<byte> leafHash)
    {
        if (leafHash.Length != HashSize)
        {
            throw new ArgumentException($"A leaf hash is {HashSize} bytes.", nameof(leafHash));
        }

        if (Size == long.MaxValue)
        {
            throw new InvalidOperationException("The tree is full.");
        }

        var hash = leafHash;
        var entries = Size;
        for (var level = 0; ; level++)
        {
            var open = _open[level] ??= new byte[TileBytes];
            hash.CopyTo(open.AsSpan(_widths[level] * HashSize));
            if (++_widths[level] < LedgerTileName.FullWidth)
            {
                break;
            }

            // entries counts the hashes at this level before the append: the completed tile is its index / 256.
            _completed.Add(new LedgerTile(new LedgerTileName(level, entries / LedgerTileName.FullWidth, LedgerTileName.FullWidth), open));
            hash = TileHashes.RootOfFull(open);
            _open[level] = new byte[TileBytes];
            _widths[level] = 0;
            entries /= LedgerTileName.FullWidth;
        }

        Size++;
    }

    /// <summary>The full tiles completed since the last call, in the order they completed (lower levels first).</summary>
    public IReadOnlyList<LedgerTile> DrainCompletedTiles()
    {
        var tiles = _completed.ToArray();
        _completed.Clear();
        return tiles;
    }

    /// <summary>
    /// The partial tiles of the current size, one per level whose last tile is not full, lowest level first
    /// (<see cref="LedgerTileName.PartialTilesFor"/>); empty when every level is full or the tree is empty.
    /// </summary>
    public IReadOnlyList<LedgerTile> GetPartialTiles()
    {
        var names = LedgerTileName.PartialTilesFor(Size);
        var tiles = new LedgerTile[names.Count];
        for (var i = 0; i < names.Count; i++)
        {
            var name = names[i];
            tiles[i] = new LedgerTile(name, _open[name.Level].AsSpan(0, name.ContentLength).ToArray());
        }

        return tiles;
    }

    /// <summary>The compact range (perfect subtree roots, largest first) of the current tree.</summary>
    public CompactRange ToCompactRange()
    {
        // Each level's open tile holds perfect subtrees of 256^level leaves; its width's set bits split them into the
        // frontier's perfect subtrees, larger ones first and higher levels before lower ones.
        var hashes = new List<byte[]>();
        for (var level = LedgerTileName.MaxLevels - 1; level >= 0; level--)
        {
            var width = _widths[level];
            if (width == 0)
            {
                continue;
            }

            var tile = new TileHashes(_open[level].AsSpan(0, width * HashSize));
            var offset = 0;
            for (var height = LedgerTileName.Height - 1; height >= 0; height--)
            {
                if ((width & (1 << height)) != 0)
                {
                    hashes.Add(tile.Node(height, offset >> height).ToArray());
                    offset += 1 << height;
                }
            }
        }

        return CompactRange.Restore(Size, hashes);
    }

    /// <summary>
    /// Rebuilds the builder of the tree of <paramref name="treeSize"/> leaves from that size's partial tiles, given in
    /// the order of <see cref="LedgerTileName.PartialTilesFor"/>. A full tile may stand in for a partial one (its first
    /// entries are the same). No completed tiles are pending afterwards: they were written before the size was reached.
    /// </summary>
    /// <exception cref="ArgumentException">A tile is missing or has the wrong length.</exception>
    public static TileBuilder Restore(long treeSize, IReadOnlyList<ReadOnlyMemory<byte>> partialTiles)
    {
        ArgumentNullException.ThrowIfNull(partialTiles);
        var names = LedgerTileName.PartialTilesFor(treeSize);
        if (partialTiles.Count != names.Count)
        {
            throw new ArgumentException($"A tree of size {treeSize} has {names.Count} partial tiles, not {partialTiles.Count}.", nameof(partialTiles));
        }

        var builder = new TileBuilder { Size = treeSize };
        for (var i = 0; i < names.Count; i++)
        {
            var name = names[i];
            var content = partialTiles[i].Span;
            if (content.Length != name.ContentLength && content.Length != TileBytes)
            {
                throw new ArgumentException($"Tile {name} must be {name.ContentLength} bytes (or a full {TileBytes}), not {content.Length}.", nameof(partialTiles));
            }

            var open = new byte[TileBytes];
            content[..name.ContentLength].CopyTo(open);
            builder._open[name.Level] = open;
            builder._widths[name.Level] = name.Width;
        }

        return builder;
    }

    /// <summary>Reads the partial tiles of <paramref name="treeSize"/> (or the full tiles that supersede them) and restores from them.</summary>
    /// <exception cref="LedgerTileMissingException">A tile is not stored.</exception>
    public static async Task<TileBuilder> RestoreAsync(long treeSize, ILedgerTileSource source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var names = LedgerTileName.PartialTilesFor(treeSize);
        var contents = new ReadOnlyMemory<byte>[names.Count];
        for (var i = 0; i < names.Count; i++)
        {
            contents[i] = await TileReads.ReadAsync(source, names[i], treeSize, cancellationToken).ConfigureAwait(false);
        }

        return Restore(treeSize, contents);
    }
}
