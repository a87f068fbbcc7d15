using System.Security.Cryptography;

namespace Tenants.Ledger.Merkle;

/// <summary>
/// The RFC 6962 / RFC 9162 Merkle tree hash over SHA-256: leaves and interior nodes are domain-separated
/// (<c>0x00</c> and <c>0x01</c> prefixes) so an interior node can never be presented as a leaf.
/// </summary>
public static class Rfc6962Hasher
{
    /// <summary>Length in bytes of every hash in the tree.</summary>
    public const int HashSize = 32;

    private const byte LeafPrefix = 0x00;
    private const byte NodePrefix = 0x01;

    // Below this many leaves per core, handing work to another thread costs more than it saves.
    private const int MinLeavesPerPartition = 64;

    /// <summary>The root of the empty tree: SHA-256 of the empty string. A fresh copy on every call.</summary>
    public static byte[] EmptyRoot => SHA256.HashData(ReadOnlySpan<byte>.Empty);

    /// <summary>The leaf hash of an entry: SHA-256(0x00 || entry).</summary>
    public static byte[] HashLeaf(ReadOnlySpan<byte> entry)
    {
        var hash = new byte[HashSize];
        HashLeaf(entry, hash);
        return hash;
    }

    /// <summary>Writes the leaf hash of <paramref name="entry"/> into <paramref name="destination"/> (32 bytes).</summary>
    public static void HashLeaf(ReadOnlySpan<byte> entry, Span<byte> destination)
    {
        CheckDestination(destination);
        Sha256.Hash(LeafPrefix, entry, [], destination);
    }

    /// <summary>
    /// Writes the leaf hash of every entry into <paramref name="destination"/> (32 bytes each, in order). Large
    /// batches are hashed on all cores: leaf hashes are independent, and hashing is most of the cost of appending.
    /// </summary>
    public static void HashLeaves(IReadOnlyList<ReadOnlyMemory<byte>> entries, Memory<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (destination.Length < entries.Count * HashSize)
        {
            throw new ArgumentException($"The destination must hold {entries.Count} hashes.", nameof(destination));
        }

        var partitions = Math.Min(Environment.ProcessorCount, entries.Count / MinLeavesPerPartition);
        if (partitions <= 1)
        {
            HashLeafRange(entries, 0, entries.Count, destination.Span);
            return;
        }

        Parallel.For(0, partitions, partition =>
        {
            var start = (int)((long)entries.Count * partition / partitions);
            var end = (int)((long)entries.Count * (partition + 1) / partitions);
            HashLeafRange(entries, start, end, destination.Span);
        });
    }

    private static void HashLeafRange(IReadOnlyList<ReadOnlyMemory<byte>> entries, int start, int end, Span<byte> destination)
    {
        for (var i = start; i < end; i++)
        {
            HashLeaf(entries[i].Span, destination.Slice(i * HashSize, HashSize));
        }
    }

    /// <summary>The interior node hash: SHA-256(0x01 || left || right).</summary>
    public static byte[] HashChildren(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        var hash = new byte[HashSize];
        HashChildren(left, right, hash);
        return hash;
    }

    /// <summary>
    /// Writes SHA-256(0x01 || left || right) into <paramref name="destination"/>; the destination may overlap
    /// either input.
    /// </summary>
    public static void HashChildren(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right, Span<byte> destination)
    {
        CheckDestination(destination);
        Sha256.Hash(NodePrefix, left, right, destination);
    }

    private static void CheckDestination(Span<byte> destination)
    {
        if (destination.Length < HashSize)
        {
            throw new ArgumentException($"The destination must hold {HashSize} bytes.", nameof(destination));
        }
    }
}
