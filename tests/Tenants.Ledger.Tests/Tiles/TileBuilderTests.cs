using Tenants.Ledger.Merkle;
using Tenants.Ledger.Tiles;

namespace Tenants.Ledger.Tests.Tiles;

public sealed class TileBuilderTests
{
    [Fact]
    public void Append_256Leaves_CompletesTheFirstLevel0TileHoldingTheLeafHashes()
    {
        var builder = new TileBuilder();
        var leaves = Enumerable.Range(0, 256).Select(i => TileTestLog.Leaf(i)).ToArray();

        foreach (var leaf in leaves.SkipLast(1))
        {
            builder.Append(leaf);
        }

        Assert.Empty(builder.DrainCompletedTiles());
        builder.Append(leaves[^1]);
        var tile = Assert.Single(builder.DrainCompletedTiles());

        Assert.Equal("tile/0/000", tile.Name.Path);
        Assert.Equal(leaves.SelectMany(l => l).ToArray(), tile.Content.ToArray());
        Assert.Empty(builder.DrainCompletedTiles());
        var level1 = Assert.Single(builder.GetPartialTiles());
        Assert.Equal("tile/1/000.p/1", level1.Name.Path);
        Assert.Equal(MerkleProofs.RootHash(leaves), level1.Content.ToArray());
    }

    [Fact]
    public void Append_65536Leaves_Level1TileEntriesAreTheRootsOfTheLevel0Tiles()
    {
        var builder = new TileBuilder();
        var leaves = Enumerable.Range(0, 65536).Select(i => TileTestLog.Leaf(i)).ToArray();
        foreach (var leaf in leaves)
        {
            builder.Append(leaf);
        }

        var completed = builder.DrainCompletedTiles();

        Assert.Equal(257, completed.Count);
        var level1 = Assert.Single(completed, t => t.Name.Level == 1);
        Assert.Equal("tile/1/000", level1.Name.Path);
        Assert.Equal(MerkleProofs.RootHash(leaves.Skip(256 * 7).Take(256).ToArray()), level1.Content.Slice(7 * 32, 32).ToArray());
        Assert.Equal(MerkleProofs.RootHash(leaves), Assert.Single(builder.GetPartialTiles()).Content.ToArray());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(255)]
    [InlineData(256)]
    [InlineData(257)]
    [InlineData(777)]
    [InlineData(65535)]
    [InlineData(65536 + 513)]
    public void Restore_FromPartialTilesOfASize_ContinuesExactlyAsTheUninterruptedBuilder(int size)
    {
        const int More = 600;
        var whole = new TileBuilder();
        var tree = new CompactRange();
        for (var i = 0; i < size; i++)
        {
            whole.Append(TileTestLog.Leaf(i));
            tree.Append(TileTestLog.Leaf(i));
        }

        whole.DrainCompletedTiles();
        var restored = TileBuilder.Restore(size, whole.GetPartialTiles().Select(t => t.Content).ToArray());

        Assert.Equal(size, restored.Size);
        Assert.Equal(tree.GetRootHash(), restored.ToCompactRange().GetRootHash());
        Assert.Equal(tree.Hashes, restored.ToCompactRange().Hashes);
        for (var i = size; i < size + More; i++)
        {
            whole.Append(TileTestLog.Leaf(i));
            restored.Append(TileTestLog.Leaf(i));
        }

        Assert.Equal(Describe(whole.DrainCompletedTiles()), Describe(restored.DrainCompletedTiles()));
        Assert.Equal(Describe(whole.GetPartialTiles()), Describe(restored.GetPartialTiles()));
    }

    [Fact]
    public async Task RestoreAsync_PartialTileMissing_UsesTheFullTileThatSupersededIt()
    {
        var log = new TileTestLog();
        await log.CheckpointAtAsync(100);
        await log.CheckpointAtAsync(300);
        log.Store.Delete(TileTestLog.Tenant, "tile/0/000.p/100");

        var restored = await TileBuilder.RestoreAsync(100, log.Source);

        Assert.Equal(MerkleProofs.RootHash(log.Prefix(100)), restored.ToCompactRange().GetRootHash());
    }

    [Fact]
    public async Task RestoreAsync_TileMissing_NamesTheTileAndTheSize()
    {
        var log = new TileTestLog();
        await log.CheckpointAtAsync(100);
        log.Store.Delete(TileTestLog.Tenant, "tile/0/000.p/100");

        var error = await Assert.ThrowsAsync<LedgerTileMissingException>(() => TileBuilder.RestoreAsync(100, log.Source));

        Assert.Contains("tile/0/000.p/100", error.Message, StringComparison.Ordinal);
        Assert.Contains("tree size 100", error.Message, StringComparison.Ordinal);
    }

    private static string[] Describe(IEnumerable<LedgerTile> tiles) =>
        tiles.Select(t => $"{t.Name.Path} {Convert.ToHexString(t.Content.Span)}").ToArray();
}
