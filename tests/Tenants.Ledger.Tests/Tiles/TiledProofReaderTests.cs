using Tenants.Ledger.Merkle;
using Tenants.Ledger.Tests.Merkle;
using Tenants.Ledger.Tiles;

namespace Tenants.Ledger.Tests.Tiles;

public sealed class TiledProofReaderTests
{
    [Fact]
    public async Task Proofs_EveryCheckpointedSizeUpTo1100_EqualTheInMemoryProofsAndVerify()
    {
        const int MaxSize = 1100;
        var log = new TileTestLog();
        var roots = new List<byte[]> { Rfc6962Hasher.EmptyRoot };
        var tree = new CompactRange();
        for (var size = 1; size <= MaxSize; size++)
        {
            await log.CheckpointAtAsync(size);
            tree.Append(log.Leaves[size - 1]);
            roots.Add(tree.GetRootHash());
        }

        for (var size = 1; size <= MaxSize; size++)
        {
            var leaves = log.Prefix(size);
            var reader = new TiledProofReader(log.Source);
            var root = roots[size];
            Assert.Equal(root, await reader.GetRootHashAsync(size));
            foreach (var index in Sample(size))
            {
                var proof = await reader.GetInclusionProofAsync(index, size);
                Assert.Equal(MerkleProofs.InclusionProof(index, leaves), proof);
                Assert.True(MerkleProofs.VerifyInclusion(index, size, leaves[(int)index], proof, root));
            }

            foreach (var size1 in Sample(size + 1))
            {
                var proof = await reader.GetConsistencyProofAsync(size1, size);
                Assert.Equal(MerkleProofs.ConsistencyProof(size1, leaves), proof);
                Assert.True(MerkleProofs.VerifyConsistency(size1, size, roots[(int)size1], root, proof), $"consistency {size1} -> {size}");
            }
        }
    }

    [Theory]
    [InlineData(65536)]
    [InlineData(65537)]
    [InlineData(65536 + 256 + 7)]
    [InlineData(131072 + 300)]
    public async Task Proofs_SizesWithTwoTileLevels_EqualTheInMemoryProofsAndVerify(int size)
    {
        var log = new TileTestLog();
        await log.CheckpointAtAsync(65535);
        await log.CheckpointAtAsync(size);
        var leaves = log.Prefix(size);
        var root = MerkleProofs.RootHash(leaves);
        var reader = new TiledProofReader(log.Source);

        Assert.Equal(root, await reader.GetRootHashAsync(size));
        foreach (var index in new long[] { 0, 255, 256, 65535, size / 2, size - 1 }.Where(i => i < size))
        {
            var proof = await reader.GetInclusionProofAsync(index, size);
            Assert.Equal(MerkleProofs.InclusionProof(index, leaves), proof);
            Assert.True(MerkleProofs.VerifyInclusion(index, size, leaves[(int)index], proof, root));
        }

        var oldLeaves = log.Prefix(65535);
        var consistency = await reader.GetConsistencyProofAsync(65535, size);
        Assert.Equal(MerkleProofs.ConsistencyProof(65535, leaves), consistency);
        Assert.True(MerkleProofs.VerifyConsistency(65535, size, MerkleProofs.RootHash(oldLeaves), root, consistency));
    }

    [Fact]
    public async Task Proofs_ReferenceTree_MatchRfcVectors()
    {
        var leaves = ReferenceTree.LeafHashes(8);
        var builder = new TileBuilder();
        var store = new InMemoryLedgerStore();
        foreach (var leaf in leaves)
        {
            builder.Append(leaf);
            foreach (var tile in builder.GetPartialTiles())
            {
                await store.WriteTileAsync("rfc", tile.Name, tile.Content);
            }
        }

        var reader = new TiledProofReader(new LedgerStoreTileSource(store, "rfc"));

        Assert.Equal(["96a296d2", "5f083f0a", "6b47aaf2"], (await reader.GetInclusionProofAsync(0, 8)).Select(h => ReferenceTree.Hex(h)[..8]));
        Assert.Equal(["fac54203"], (await reader.GetInclusionProofAsync(2, 3)).Select(h => ReferenceTree.Hex(h)[..8]));
        Assert.Equal(["0298d122", "07506a85", "fac54203", "837dbb15"], (await reader.GetConsistencyProofAsync(3, 7)).Select(h => ReferenceTree.Hex(h)[..8]));
        Assert.Equal(["5f083f0a", "bc1a0643"], (await reader.GetConsistencyProofAsync(2, 5)).Select(h => ReferenceTree.Hex(h)[..8]));
    }

    [Fact]
    public async Task GetInclusionProofAsync_LargeTree_ReadsOnlyAFewTiles()
    {
        var log = new TileTestLog();
        await log.CheckpointAtAsync(131072 + 300);
        var before = log.Store.TileReads;

        await new TiledProofReader(log.Source).GetInclusionProofAsync(70_000, 131072 + 300);

        Assert.InRange(log.Store.TileReads - before, 1, 8);
    }

    [Fact]
    public async Task Proofs_OutOfRangeIndexOrSizes_AreRejectedWithTheNumbersInTheMessage()
    {
        var log = new TileTestLog();
        await log.CheckpointAtAsync(10);
        var reader = new TiledProofReader(log.Source);

        var beyond = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => reader.GetInclusionProofAsync(10, 10));
        Assert.Contains("Leaf index 10 is not in a tree of size 10", beyond.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => reader.GetInclusionProofAsync(-1, 10));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => reader.GetInclusionProofAsync(0, 0));
        var backwards = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => reader.GetConsistencyProofAsync(8, 5));
        Assert.Contains("size 8 cannot be a prefix of one of size 5", backwards.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => reader.GetConsistencyProofAsync(-1, 5));
    }

    [Fact]
    public async Task GetInclusionProofAsync_SizeThatWasNeverCheckpointed_NamesTheMissingTile()
    {
        var log = new TileTestLog();
        await log.CheckpointAtAsync(10);
        await log.CheckpointAtAsync(20);

        var error = await Assert.ThrowsAsync<LedgerTileMissingException>(() => new TiledProofReader(log.Source).GetInclusionProofAsync(3, 15));

        Assert.Equal("Tile tile/0/000.p/15, needed for tree size 15, is not stored, and neither is tile/0/000.", error.Message);
    }

    [Fact]
    public async Task GetInclusionProofAsync_TileOfWrongLength_IsReportedNotMisread()
    {
        var log = new TileTestLog();
        await log.CheckpointAtAsync(10);
        log.Store.ReplaceRaw(TileTestLog.Tenant, "tile/0/000.p/10", new byte[300]);

        var error = await Assert.ThrowsAsync<LedgerTileMissingException>(() => new TiledProofReader(log.Source).GetInclusionProofAsync(3, 10));

        Assert.Contains("tile/0/000.p/10 is 300 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetConsistencyProofAsync_EqualOrEmptySizes_IsEmpty()
    {
        var log = new TileTestLog();
        await log.CheckpointAtAsync(10);
        var reader = new TiledProofReader(log.Source);

        Assert.Empty(await reader.GetConsistencyProofAsync(10, 10));
        Assert.Empty(await reader.GetConsistencyProofAsync(0, 10));
    }

    // Both ends, both sides of every tile boundary and a spread in between.
    private static IEnumerable<long> Sample(long size) =>
        new long[] { 0, 1, 2, size / 3, size / 2, size - 2, size - 1, 255, 256, 257, 511, 512 }
            .Where(i => i >= 0 && i < size)
            .Distinct();
}
