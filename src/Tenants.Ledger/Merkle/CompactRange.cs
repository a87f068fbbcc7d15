using System.Numerics;

namespace Tenants.Ledger.Merkle;

/// <summary>
/// The right frontier of a Merkle tree growing from size 0: the roots of the perfect subtrees that the
/// tree's leaves decompose into (one per set bit of <see cref="Size"/>, largest first). This is all a writer
/// needs to keep to extend the tree and compute its RFC 6962 root.
/// </summary>
public sealed class CompactRange
{
    private const int MaxHashes = 64;
    private const int HashSize = Rfc6962Hasher.HashSize;

    // Flat storage, one 32-byte slot per perfect subtree root, largest subtree in slot 0.
    private readonly byte[] _slots = new byte[MaxHashes * HashSize];
    private int _count;

    /// <summary>Creates the frontier of the empty tree.</summary>
    public CompactRange()
    {
    }

    /// <summary>Number of leaves appended so far (the tree size).</summary>
    public long Size { get; private set; }

    /// <summary>The perfect subtree roots, largest subtree first; copies, safe to keep.</summary>
    public IReadOnlyList<byte[]> Hashes
    {
        get
        {
            var hashes = new byte[_count][];
            for (var i = 0; i < _count; i++)
            {
                hashes[i] = Slot(i).ToArray();
            }

            return hashes;
        }
    }

    /// <summary>Rebuilds a frontier saved from <see cref="Size"/> and <see cref="Hashes"/>.</summary>
    /// <exception cref="ArgumentException">The hashes do not fit the size (one 32-byte hash per set bit).</exception>
    public static CompactRange Restore(long size, IReadOnlyList<byte[]> hashes)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        var expected = BitOperations.PopCount((ulong)size);
        if (hashes.Count != expected)
        {
            throw new ArgumentException($"A tree of size {size} has {expected} frontier hashes, not {hashes.Count}.", nameof(hashes));
        }

        var range = new CompactRange { Size = size, _count = expected };
        for (var i = 0; i < expected; i++)
        {
            if (hashes[i] is not { Length: HashSize } hash)
            {
                throw new ArgumentException($"Frontier hash {i} is not {HashSize} bytes.", nameof(hashes));
            }

            hash.CopyTo(range.Slot(i));
        }

        return range;
    }

    /// <summary>Appends one leaf hash (already <see cref="Rfc6962Hasher.HashLeaf(ReadOnlySpan{byte})"/>ed).</summary>
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

        leafHash.CopyTo(Slot(_count));
        _count++;

        // Every trailing one bit of the old size is a perfect subtree of the same height as the new one: merge.
        for (var size = Size; (size & 1) == 1; size >>= 1)
        {
            Rfc6962Hasher.HashChildren(Slot(_count - 2), Slot(_count - 1), Slot(_count - 2));
            _count--;
        }

        Size++;
    }

    /// <summary>Appends consecutive leaf hashes, 32 bytes each (e.g. from <see cref="Rfc6962Hasher.HashLeaves"/>).</summary>
    public void AppendLeaves(ReadOnlySpan<byte> leafHashes)
    {
        if (leafHashes.Length % HashSize != 0)
        {
            throw new ArgumentException($"Leaf hashes are {HashSize} bytes each.", nameof(leafHashes));
        }

        for (var offset = 0; offset < leafHashes.Length; offset += HashSize)
        {
            Append(leafHashes.Slice(offset, HashSize));
        }
    }

    /// <summary>The RFC 6962 Merkle tree hash of the leaves appended so far (the empty root for size 0).</summary>
    public byte[] GetRootHash()
    {
        if (_count == 0)
        {
            return Rfc6962Hasher.EmptyRoot;
        }

        var root = Slot(_count - 1).ToArray();
        for (var i = _count - 2; i >= 0; i--)
        {
            Rfc6962Hasher.HashChildren(Slot(i), root, root);
        }

        return root;
    }

    /// <summary>An independent copy of this frontier.</summary>
    public CompactRange Clone()
    {
        var clone = new CompactRange { Size = Size, _count = _count };
        _slots.AsSpan(0, _count * HashSize).CopyTo(clone._slots);
        return clone;
    }

    private Span<byte> Slot(int index) => _slots.AsSpan(index * HashSize, HashSize);
}
