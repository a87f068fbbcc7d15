using System.Numerics;
using System.Security.Cryptography;

namespace Tenants.Ledger.Merkle;

/// <summary>
/// Inclusion and consistency proofs, verified exactly as RFC 9162 §2.1.3.2 and §2.1.4.2. Every malformed input
/// (wrong sizes, hashes that are not 32 bytes, padded or truncated proofs) fails verification; nothing throws.
/// </summary>
public static partial class MerkleProofs
{
    /// <summary>No proof in a tree of at most 2^63 leaves is longer than this.</summary>
    public const int MaxProofLength = 64;

    private const int HashSize = Rfc6962Hasher.HashSize;

    /// <summary>Verifies that <paramref name="leafHash"/> is leaf <paramref name="leafIndex"/> of the tree with the given root.</summary>
    public static bool VerifyInclusion(
        long leafIndex,
        long treeSize,
        ReadOnlySpan<byte> leafHash,
        IReadOnlyList<byte[]> proof,
        ReadOnlySpan<byte> rootHash)
    {
        if (leafIndex < 0 || leafIndex >= treeSize
            || leafHash.Length != HashSize || rootHash.Length != HashSize
            || !IsWellFormed(proof))
        {
            return false;
        }

        var fn = leafIndex;
        var sn = treeSize - 1;
        Span<byte> r = stackalloc byte[HashSize];
        leafHash.CopyTo(r);
        foreach (var p in proof)
        {
            if (sn == 0)
            {
                return false;
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                Rfc6962Hasher.HashChildren(p, r, r);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                Rfc6962Hasher.HashChildren(r, p, r);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0 && CryptographicOperations.FixedTimeEquals(r, rootHash);
    }

    /// <summary>
    /// Verifies that the tree of size <paramref name="size2"/> with root <paramref name="root2"/> extends the tree of
    /// size <paramref name="size1"/> with root <paramref name="root1"/>. The empty tree is consistent with every tree
    /// (empty proof, <paramref name="root1"/> the empty root); equal sizes need an empty proof and equal roots.
    /// </summary>
    public static bool VerifyConsistency(
        long size1,
        long size2,
        ReadOnlySpan<byte> root1,
        ReadOnlySpan<byte> root2,
        IReadOnlyList<byte[]> proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        if (size1 < 0 || size1 > size2)
        {
            return false;
        }

        if (size1 == 0)
        {
            return proof.Count == 0
                && root1.SequenceEqual(Rfc6962Hasher.EmptyRoot)
                && root2.Length == HashSize
                && (size2 > 0 || root2.SequenceEqual(root1));
        }

        if (size1 == size2)
        {
            return proof.Count == 0 && CryptographicOperations.FixedTimeEquals(root1, root2);
        }

        if (proof.Count == 0 || root1.Length != HashSize || root2.Length != HashSize || !IsWellFormed(proof))
        {
            return false;
        }

        // RFC 9162 step 2: when size1 is a power of two, the old root is itself the first node of the path.
        var path = new List<byte[]>(proof.Count + 1);
        if (BitOperations.IsPow2(size1))
        {
            path.Add(root1.ToArray());
        }

        path.AddRange(proof);

        var fn = size1 - 1;
        var sn = size2 - 1;
        while ((fn & 1) == 1)
        {
            fn >>= 1;
            sn >>= 1;
        }

        Span<byte> fr = stackalloc byte[HashSize];
        Span<byte> sr = stackalloc byte[HashSize];
        path[0].CopyTo(fr);
        path[0].CopyTo(sr);
        for (var i = 1; i < path.Count; i++)
        {
            var c = path[i];
            if (sn == 0)
            {
                return false;
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                Rfc6962Hasher.HashChildren(c, fr, fr);
                Rfc6962Hasher.HashChildren(c, sr, sr);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                Rfc6962Hasher.HashChildren(sr, c, sr);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0
            & CryptographicOperations.FixedTimeEquals(fr, root1)
            & CryptographicOperations.FixedTimeEquals(sr, root2);
    }

    private static bool IsWellFormed(IReadOnlyList<byte[]>? proof)
    {
        if (proof is null || proof.Count > MaxProofLength)
        {
            return false;
        }

        foreach (var hash in proof)
        {
            if (hash is not { Length: HashSize })
            {
                return false;
            }
        }

        return true;
    }
}
