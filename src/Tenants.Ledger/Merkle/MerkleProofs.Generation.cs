using System.Numerics;

namespace Tenants.Ledger.Merkle;

/// <summary>Proof generation over an in-memory list of leaf hashes (RFC 6962 §2.1.1 and §2.1.2 definitions).</summary>
public static partial class MerkleProofs
{
    /// <summary>The RFC 6962 Merkle tree hash MTH over <paramref name="leafHashes"/>.</summary>
    public static byte[] RootHash(IReadOnlyList<byte[]> leafHashes)
    {
        ArgumentNullException.ThrowIfNull(leafHashes);
        return leafHashes.Count == 0 ? Rfc6962Hasher.EmptyRoot : SubtreeHash(leafHashes, 0, leafHashes.Count);
    }

    /// <summary>PATH(m, D[n]): the audit path of leaf <paramref name="leafIndex"/>, bottom-up.</summary>
    public static IReadOnlyList<byte[]> InclusionProof(long leafIndex, IReadOnlyList<byte[]> leafHashes)
    {
        ArgumentNullException.ThrowIfNull(leafHashes);
        ArgumentOutOfRangeException.ThrowIfNegative(leafIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(leafIndex, leafHashes.Count);
        var proof = new List<byte[]>();
        AddPath((int)leafIndex, leafHashes, 0, leafHashes.Count, proof);
        return proof;
    }

    /// <summary>PROOF(m, D[n]): the consistency proof from the first <paramref name="size1"/> leaves to all of them.</summary>
    public static IReadOnlyList<byte[]> ConsistencyProof(long size1, IReadOnlyList<byte[]> leafHashes)
    {
        ArgumentNullException.ThrowIfNull(leafHashes);
        ArgumentOutOfRangeException.ThrowIfNegative(size1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size1, leafHashes.Count);
        var proof = new List<byte[]>();
        if (size1 > 0 && size1 < leafHashes.Count)
        {
            AddSubproof((int)size1, leafHashes, 0, leafHashes.Count, complete: true, proof);
        }

        return proof;
    }

    // Appends PATH(m, D[start:end]) in bottom-up order: the recursion emits the deeper nodes first.
    private static void AddPath(int m, IReadOnlyList<byte[]> leaves, int start, int end, List<byte[]> proof)
    {
        var n = end - start;
        if (n <= 1)
        {
            return;
        }

        var k = SplitPoint(n);
        if (m < k)
        {
            AddPath(m, leaves, start, start + k, proof);
            proof.Add(SubtreeHash(leaves, start + k, end));
        }
        else
        {
            AddPath(m - k, leaves, start + k, end, proof);
            proof.Add(SubtreeHash(leaves, start, start + k));
        }
    }

    private static void AddSubproof(int m, IReadOnlyList<byte[]> leaves, int start, int end, bool complete, List<byte[]> proof)
    {
        var n = end - start;
        if (m == n)
        {
            if (!complete)
            {
                proof.Add(SubtreeHash(leaves, start, end));
            }

            return;
        }

        var k = SplitPoint(n);
        if (m <= k)
        {
            AddSubproof(m, leaves, start, start + k, complete, proof);
            proof.Add(SubtreeHash(leaves, start + k, end));
        }
        else
        {
            AddSubproof(m - k, leaves, start + k, end, complete: false, proof);
            proof.Add(SubtreeHash(leaves, start, start + k));
        }
    }

    private static byte[] SubtreeHash(IReadOnlyList<byte[]> leaves, int start, int end)
    {
        if (end - start == 1)
        {
            return (byte[])leaves[start].Clone();
        }

        var k = SplitPoint(end - start);
        return Rfc6962Hasher.HashChildren(SubtreeHash(leaves, start, start + k), SubtreeHash(leaves, start + k, end));
    }

    // The largest power of two strictly smaller than n (n >= 2).
    private static int SplitPoint(int n) => (int)BitOperations.RoundUpToPowerOf2((uint)n) >> 1;
}
