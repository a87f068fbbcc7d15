using Tenants.Ledger.Merkle;

namespace Tenants.Ledger.Tiles;

/// <summary>
/// One tile's hashes and every complete inner node above them, computed once: level <c>r</c> (0..8) holds the roots
/// of the aligned runs of <c>2^r</c> tile entries that the tile's width covers completely.
/// </summary>
internal sealed class TileHashes
{
    private const int HashSize = Rfc6962Hasher.HashSize;
    private readonly byte[][] _levels = new byte[LedgerTileName.Height + 1][];

    public TileHashes(ReadOnlySpan<byte> content)
    {
        if (content.Length == 0 || content.Length % HashSize != 0 || content.Length > LedgerTileName.FullWidth * HashSize)
        {
            throw new ArgumentException($"A tile holds 1 to {LedgerTileName.FullWidth} hashes of {HashSize} bytes, not {content.Length} bytes.", nameof(content));
        }

        Width = content.Length / HashSize;
        _levels[0] = content.ToArray();
        for (var r = 1; r <= LedgerTileName.Height; r++)
        {
            var below = _levels[r - 1];
            var count = below.Length / HashSize / 2;
            var level = new byte[count * HashSize];
            for (var i = 0; i < count; i++)
            {
                Rfc6962Hasher.HashChildren(
                    below.AsSpan(2 * i * HashSize, HashSize), below.AsSpan(((2 * i) + 1) * HashSize, HashSize), level.AsSpan(i * HashSize, HashSize));
            }

            _levels[r] = level;
        }
    }

    /// <summary>Hashes at the bottom of the tile.</summary>
    public int Width { get; }

    /// <summary>The root of the <c>2^height</c> entries starting at <c>index * 2^height</c>.</summary>
    public ReadOnlySpan<byte> Node(int height, int index)
    {
        var level = _levels[height];
        if ((index + 1) * HashSize > level.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"A tile of width {Width} has no complete node {index} at height {height}.");
        }

        return level.AsSpan(index * HashSize, HashSize);
    }

    /// <summary>The root of a full tile: the Merkle tree hash of its 256 entries.</summary>
    public static byte[] RootOfFull(ReadOnlySpan<byte> content)
    {
        if (content.Length != LedgerTileName.FullWidth * HashSize)
        {
            throw new ArgumentException("Only a full tile has a root that a higher level holds.", nameof(content));
        }

        var scratch = content.ToArray();
        for (var count = LedgerTileName.FullWidth / 2; count >= 1; count /= 2)
        {
            for (var i = 0; i < count; i++)
            {
                Rfc6962Hasher.HashChildren(
                    scratch.AsSpan(2 * i * HashSize, HashSize), scratch.AsSpan(((2 * i) + 1) * HashSize, HashSize), scratch.AsSpan(i * HashSize, HashSize));
            }
        }

        return scratch[..HashSize];
    }
}
