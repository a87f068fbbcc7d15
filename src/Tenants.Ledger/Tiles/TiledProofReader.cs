using System.Numerics;
using Tenants.Ledger.Merkle;

namespace Tenants.Ledger.Tiles;

/// <summary>
/// RFC 6962 inclusion and consistency proofs and roots computed from stored hash tiles, for any tree size whose
/// tiles were written (every checkpointed size): a proof reads at most a few tiles per level, never the entries.
/// The tiles a reader has read are kept for its lifetime, so use one reader per request or batch of proofs.
/// </summary>
public sealed class TiledProofReader
{
    private readonly ILedgerTileSource _source;
    private readonly Dictionary<LedgerTileName, TileHashes> _tiles = [];

    /// <summary>Creates a reader over <paramref name="source"/>.</summary>
    public TiledProofReader(ILedgerTileSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        _source = source;
    }

    /// <summary>PATH(m, D[n]): the audit path of leaf <paramref name="leafIndex"/> in the tree of <paramref name="treeSize"/> leaves, bottom-up.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is negative or not below the size.</exception>
    /// <exception cref="LedgerTileMissingException">A tile the proof needs is not stored.</exception>
    public async Task<IReadOnlyList<byte[]>> GetInclusionProofAsync(long leafIndex, long treeSize, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(leafIndex);
        if (leafIndex >= treeSize)
        {
            throw new ArgumentOutOfRangeException(nameof(leafIndex), leafIndex, $"Leaf index {leafIndex} is not in a tree of size {treeSize}.");
        }

        var ranges = new List<(long Start, long End)>();
        AddPath(leafIndex, 0, treeSize, ranges);
        return await HashRangesAsync(ranges, treeSize, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>PROOF(m, D[n]): the consistency proof from the tree of <paramref name="size1"/> leaves to the one of <paramref name="size2"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative or <paramref name="size1"/> exceeds <paramref name="size2"/>.</exception>
    /// <exception cref="LedgerTileMissingException">A tile the proof needs is not stored.</exception>
    public async Task<IReadOnlyList<byte[]>> GetConsistencyProofAsync(long size1, long size2, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size1);
        if (size1 > size2)
        {
            throw new ArgumentOutOfRangeException(nameof(size1), size1, $"A tree of size {size1} cannot be a prefix of one of size {size2}.");
        }

        var ranges = new List<(long Start, long End)>();
        if (size1 > 0 && size1 < size2)
        {
            AddSubproof(size1, 0, size2, complete: true, ranges);
        }

        return await HashRangesAsync(ranges, size2, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>MTH(D[n]): the root of the tree of <paramref name="treeSize"/> leaves (the empty root for 0).</summary>
    /// <exception cref="LedgerTileMissingException">A tile of that size is not stored.</exception>
    public async Task<byte[]> GetRootHashAsync(long treeSize, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(treeSize);
        return treeSize == 0 ? Rfc6962Hasher.EmptyRoot : await HashRangeAsync(0, treeSize, treeSize, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The leaf hash of <paramref name="leafIndex"/>, as the level-0 tile of <paramref name="treeSize"/> holds it.</summary>
    public Task<byte[]> GetLeafHashAsync(long leafIndex, long treeSize, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(leafIndex);
        if (leafIndex >= treeSize)
        {
            throw new ArgumentOutOfRangeException(nameof(leafIndex), leafIndex, $"Leaf index {leafIndex} is not in a tree of size {treeSize}.");
        }

        return HashRangeAsync(leafIndex, leafIndex + 1, treeSize, cancellationToken);
    }

    // The same recursions as MerkleProofs' generation, collecting the leaf ranges whose hashes the proof lists.
    private static void AddPath(long m, long start, long end, List<(long, long)> ranges)
    {
        var n = end - start;
        if (n <= 1)
        {
            return;
        }

        var k = SplitPoint(n);
        if (m < k)
        {
            AddPath(m, start, start + k, ranges);
            ranges.Add((start + k, end));
        }
        else
        {
            AddPath(m - k, start + k, end, ranges);
            ranges.Add((start, start + k));
        }
    }

    private static void AddSubproof(long m, long start, long end, bool complete, List<(long, long)> ranges)
    {
        var n = end - start;
        if (m == n)
        {
            if (!complete)
            {
                ranges.Add((start, end));
            }

            return;
        }

        var k = SplitPoint(n);
        if (m <= k)
        {
            AddSubproof(m, start, start + k, complete, ranges);
            ranges.Add((start + k, end));
        }
        else
        {
            AddSubproof(m - k, start + k, end, complete: false, ranges);
            ranges.Add((start, start + k));
        }
    }

    private async Task<IReadOnlyList<byte[]>> HashRangesAsync(List<(long Start, long End)> ranges, long treeSize, CancellationToken cancellationToken)
    {
        var hashes = new byte[ranges.Count][];
        for (var i = 0; i < ranges.Count; i++)
        {
            hashes[i] = await HashRangeAsync(ranges[i].Start, ranges[i].End, treeSize, cancellationToken).ConfigureAwait(false);
        }

        return hashes;
    }

    // MTH(D[start:end]) for a range of the RFC 6962 tree: start is aligned to the largest power of two not above the
    // range's length, so the range splits into perfect subtrees, largest first, that fold right to left.
    private async Task<byte[]> HashRangeAsync(long start, long end, long treeSize, CancellationToken cancellationToken)
    {
        var parts = new List<byte[]>();
        for (var position = start; position < end;)
        {
            var height = BitOperations.Log2((ulong)(end - position));
            parts.Add(await NodeAsync(height, position, treeSize, cancellationToken).ConfigureAwait(false));
            position += 1L << height;
        }

        var root = parts[^1];
        for (var i = parts.Count - 2; i >= 0; i--)
        {
            root = Rfc6962Hasher.HashChildren(parts[i], root);
        }

        return root;
    }

    // The root of the perfect subtree of 2^height leaves starting at leaf start (a multiple of 2^height).
    private async Task<byte[]> NodeAsync(int height, long start, long treeSize, CancellationToken cancellationToken)
    {
        var level = height / LedgerTileName.Height;
        var heightInTile = height % LedgerTileName.Height;
        var entry = start >> (LedgerTileName.Height * level);
        var entriesAtLevel = treeSize >> (LedgerTileName.Height * level);
        var tileIndex = entry / LedgerTileName.FullWidth;
        var available = entriesAtLevel - (tileIndex * LedgerTileName.FullWidth);
        var width = (int)Math.Min(available, LedgerTileName.FullWidth);
        var tile = await TileAsync(new LedgerTileName(level, tileIndex, width), treeSize, cancellationToken).ConfigureAwait(false);
        var offset = (int)(entry % LedgerTileName.FullWidth);
        return tile.Node(heightInTile, offset >> heightInTile).ToArray();
    }

    private async Task<TileHashes> TileAsync(LedgerTileName name, long treeSize, CancellationToken cancellationToken)
    {
        if (!_tiles.TryGetValue(name, out var tile))
        {
            tile = new TileHashes(await TileReads.ReadAsync(_source, name, treeSize, cancellationToken).ConfigureAwait(false));
            _tiles[name] = tile;
        }

        return tile;
    }

    // The largest power of two strictly smaller than n (n >= 2).
    private static long SplitPoint(long n) => (long)(BitOperations.RoundUpToPowerOf2((ulong)n) >> 1);
}
