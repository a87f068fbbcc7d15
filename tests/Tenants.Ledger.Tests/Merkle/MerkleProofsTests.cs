using Tenants.Ledger.Merkle;

namespace Tenants.Ledger.Tests.Merkle;

public sealed class MerkleProofsTests
{
    [Theory]
    [InlineData(0, 8, "96a296d2", "5f083f0a", "6b47aaf2")]
    [InlineData(5, 8, "bc1a0643", "ca854ea1", "d37ee418")]
    [InlineData(2, 3, "fac54203")]
    [InlineData(6, 7, "0ebc5d34", "d37ee418")]
    public void InclusionProof_ReferenceTree_MatchesRfcVectors(int leafIndex, int treeSize, params string[] expectedPrefixes)
    {
        var leaves = ReferenceTree.LeafHashes(treeSize);

        var proof = MerkleProofs.InclusionProof(leafIndex, leaves);

        Assert.Equal(expectedPrefixes, proof.Select(h => ReferenceTree.Hex(h)[..8]));
        Assert.True(MerkleProofs.VerifyInclusion(leafIndex, treeSize, leaves[leafIndex], proof, MerkleProofs.RootHash(leaves)));
    }

    [Theory]
    [InlineData(1, 8, "96a296d2", "5f083f0a", "6b47aaf2")]
    [InlineData(6, 8, "0ebc5d34", "ca854ea1", "d37ee418")]
    [InlineData(2, 5, "5f083f0a", "bc1a0643")]
    [InlineData(3, 7, "0298d122", "07506a85", "fac54203", "837dbb15")]
    [InlineData(4, 7, "837dbb15")]
    public void ConsistencyProof_ReferenceTree_MatchesRfcVectors(int size1, int size2, params string[] expectedPrefixes)
    {
        var leaves = ReferenceTree.LeafHashes(size2);
        var root1 = MerkleProofs.RootHash(leaves.Take(size1).ToArray());

        var proof = MerkleProofs.ConsistencyProof(size1, leaves);

        Assert.Equal(expectedPrefixes, proof.Select(h => ReferenceTree.Hex(h)[..8]));
        Assert.True(MerkleProofs.VerifyConsistency(size1, size2, root1, MerkleProofs.RootHash(leaves), proof));
    }

    [Fact]
    public void VerifyInclusion_EveryLeafOfEverySizeUpTo40_VerifiesAndRejectsAnyAlteredNode()
    {
        var all = ReferenceTree.SyntheticLeafHashes(40);
        for (var size = 1; size <= all.Count; size++)
        {
            var leaves = all.Take(size).ToArray();
            var root = MerkleProofs.RootHash(leaves);
            for (var index = 0; index < size; index++)
            {
                var proof = MerkleProofs.InclusionProof(index, leaves);
                Assert.True(MerkleProofs.VerifyInclusion(index, size, leaves[index], proof, root));
                if (size > 1)
                {
                    Assert.False(MerkleProofs.VerifyInclusion(index, size * 2, leaves[index], proof, root));
                    Assert.False(MerkleProofs.VerifyInclusion(index, size, leaves[(index + 1) % size], proof, root));
                }

                for (var i = 0; i < proof.Count; i++)
                {
                    var altered = proof.Select(h => (byte[])h.Clone()).ToArray();
                    altered[i][7] ^= 0x10;
                    Assert.False(MerkleProofs.VerifyInclusion(index, size, leaves[index], altered, root));
                }

                Assert.False(MerkleProofs.VerifyInclusion(index, size, leaves[index], [.. proof, root], root));
            }
        }
    }

    [Fact]
    public void VerifyConsistency_EveryPairOfSizesUpTo40_VerifiesAndRejectsAnyAlteredNode()
    {
        var all = ReferenceTree.SyntheticLeafHashes(40);
        for (var size2 = 1; size2 <= all.Count; size2++)
        {
            var leaves = all.Take(size2).ToArray();
            var root2 = MerkleProofs.RootHash(leaves);
            for (var size1 = 0; size1 <= size2; size1++)
            {
                var root1 = MerkleProofs.RootHash(leaves.Take(size1).ToArray());
                var proof = MerkleProofs.ConsistencyProof(size1, leaves);
                Assert.True(MerkleProofs.VerifyConsistency(size1, size2, root1, root2, proof));
                for (var i = 0; i < proof.Count; i++)
                {
                    var altered = proof.Select(h => (byte[])h.Clone()).ToArray();
                    altered[i][3] ^= 0x01;
                    Assert.False(MerkleProofs.VerifyConsistency(size1, size2, root1, root2, altered));
                }

                if (size1 > 0 && size1 < size2)
                {
                    Assert.False(MerkleProofs.VerifyConsistency(size1, size2, root2, root1, proof));
                    Assert.False(MerkleProofs.VerifyConsistency(size1, size2, root1, root2, proof.Take(proof.Count - 1).ToArray()));
                    Assert.False(MerkleProofs.VerifyConsistency(size1, size2, root1, root2, [.. proof, root2]));
                }
            }
        }
    }

    [Fact]
    public void VerifyInclusion_NegativeIndex_Fails()
    {
        var leaves = ReferenceTree.LeafHashes(8);

        Assert.False(MerkleProofs.VerifyInclusion(-1, 8, leaves[0], MerkleProofs.InclusionProof(0, leaves), MerkleProofs.RootHash(leaves)));
    }
}
