using System.Text;
using Tenants.Ledger.Merkle;

namespace Tenants.Ledger.Tests.Merkle;

public sealed class CompactRangeTests
{
    [Theory]
    [InlineData(0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData(1, "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d")]
    [InlineData(2, "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125")]
    [InlineData(3, "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77")]
    [InlineData(4, "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")]
    [InlineData(5, "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4")]
    [InlineData(6, "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef")]
    [InlineData(7, "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c")]
    [InlineData(8, "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328")]
    public void GetRootHash_ReferenceLeaves_MatchesRfcTable(int size, string expectedHex)
    {
        var range = new CompactRange();
        foreach (var leaf in ReferenceTree.LeafHashes(size))
        {
            range.Append(leaf);
        }

        Assert.Equal(expectedHex, ReferenceTree.Hex(range.GetRootHash()));
        Assert.Equal(expectedHex, ReferenceTree.Hex(MerkleProofs.RootHash(ReferenceTree.LeafHashes(size))));
    }

    [Fact]
    public void GetRootHash_EverySizeUpTo300_MatchesReferenceMth()
    {
        var leaves = ReferenceTree.SyntheticLeafHashes(300);
        var range = new CompactRange();
        Assert.Equal(Rfc6962Hasher.EmptyRoot, range.GetRootHash());

        for (var size = 1; size <= leaves.Count; size++)
        {
            range.Append(leaves[size - 1]);

            Assert.Equal(size, range.Size);
            Assert.Equal(System.Numerics.BitOperations.PopCount((uint)size), range.Hashes.Count);
            Assert.Equal(MerkleProofs.RootHash(leaves.Take(size).ToArray()), range.GetRootHash());
        }
    }

    [Fact]
    public void Restore_SavedFrontier_ContinuesToSameRoots()
    {
        var leaves = ReferenceTree.SyntheticLeafHashes(300);
        var original = new CompactRange();
        for (var size = 0; size < leaves.Count; size++)
        {
            var restored = CompactRange.Restore(original.Size, original.Hashes);
            Assert.Equal(original.GetRootHash(), restored.GetRootHash());

            original.Append(leaves[size]);
            restored.Append(leaves[size]);
            Assert.Equal(original.GetRootHash(), restored.GetRootHash());
            Assert.Equal(original.Hashes, restored.Hashes);
        }
    }

    [Fact]
    public void Clone_AppendToClone_LeavesOriginalUnchanged()
    {
        var leaves = ReferenceTree.SyntheticLeafHashes(6);
        var original = new CompactRange();
        foreach (var leaf in leaves.Take(5))
        {
            original.Append(leaf);
        }

        var rootBefore = original.GetRootHash();
        var clone = original.Clone();
        clone.Append(leaves[5]);

        Assert.Equal(rootBefore, original.GetRootHash());
        Assert.Equal(5, original.Size);
        Assert.Equal(MerkleProofs.RootHash(leaves), clone.GetRootHash());
    }

    [Fact]
    public void Restore_WrongHashCount_Throws()
    {
        var hash = new byte[32];

        Assert.Throws<ArgumentException>(() => CompactRange.Restore(3, [hash]));
        Assert.Throws<ArgumentException>(() => CompactRange.Restore(0, [hash]));
    }

    [Fact]
    public void Restore_HashNot32Bytes_Throws()
    {
        Assert.Throws<ArgumentException>(() => CompactRange.Restore(1, [new byte[31]]));
    }

    [Fact]
    public void Restore_NegativeSize_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CompactRange.Restore(-1, []));
    }

    [Fact]
    public void Append_WrongLength_Throws()
    {
        Assert.Throws<ArgumentException>(() => new CompactRange().Append(new byte[31]));
    }

    [Fact]
    public void Hashes_ReturnedCopies_DoNotAliasState()
    {
        var range = new CompactRange();
        range.Append(Rfc6962Hasher.HashLeaf("a"u8));
        var root = range.GetRootHash();

        range.Hashes[0][0] ^= 0xff;

        Assert.Equal(root, range.GetRootHash());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(63)]
    [InlineData(129)]
    [InlineData(1000)]
    public void AppendLeaves_BatchHashedOnAllCores_GivesTheSameRootAsOneByOne(int count)
    {
        var entries = Enumerable.Range(0, count).Select(i => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes($"entry {i} " + new string('x', i % 700))).ToList();
        var oneByOne = new CompactRange();
        foreach (var entry in entries)
        {
            oneByOne.Append(Rfc6962Hasher.HashLeaf(entry.Span));
        }

        var hashes = new byte[count * Rfc6962Hasher.HashSize];
        Rfc6962Hasher.HashLeaves(entries, hashes);
        var batched = new CompactRange();
        batched.AppendLeaves(hashes);

        Assert.Equal(oneByOne.Size, batched.Size);
        Assert.Equal(oneByOne.GetRootHash(), batched.GetRootHash());
    }

    [Fact]
    public void HashLeaves_DestinationTooSmall_Throws()
    {
        Assert.Throws<ArgumentException>(() => Rfc6962Hasher.HashLeaves([new byte[1], new byte[1]], new byte[63]));
    }

    [Fact]
    public void AppendLeaves_NotAMultipleOf32Bytes_Throws()
    {
        Assert.Throws<ArgumentException>(() => new CompactRange().AppendLeaves(new byte[33]));
    }
}
