using Tenants.Ledger.Tiles;

namespace Tenants.Ledger.Tests.Tiles;

public sealed class LedgerTileNameTests
{
    [Theory]
    [InlineData(0, 0L, 256, "tile/0/000")]
    [InlineData(0, 5L, 256, "tile/0/005")]
    [InlineData(1, 999L, 256, "tile/1/999")]
    [InlineData(0, 1000L, 256, "tile/0/x001/000")]
    [InlineData(2, 1234067L, 256, "tile/2/x001/x234/067")]
    [InlineData(0, 0L, 5, "tile/0/000.p/5")]
    [InlineData(1, 1234067L, 255, "tile/1/x001/x234/067.p/255")]
    public void Path_FollowsTlogTiles_AndParsesBack(int level, long index, int width, string path)
    {
        var name = new LedgerTileName(level, index, width);

        Assert.Equal(path, name.Path);
        Assert.True(LedgerTileName.TryParse(path, out var parsed));
        Assert.Equal(name, parsed);
    }

    [Theory]
    [InlineData("tile/0/5")]
    [InlineData("tile/0/0005")]
    [InlineData("tile/0/x000/005")]
    [InlineData("tile/0/001/234")]
    [InlineData("tile/0/000.p/0")]
    [InlineData("tile/0/000.p/256")]
    [InlineData("tile/0/000.p/05")]
    [InlineData("tile/00/000")]
    [InlineData("tile/8/000")]
    [InlineData("tile/entries/000")]
    [InlineData("tiles/0/000")]
    [InlineData("tile/0/000/")]
    public void TryParse_NonCanonicalOrForeignPath_IsRejected(string path)
    {
        Assert.False(LedgerTileName.TryParse(path, out _));
    }

    [Fact]
    public void PartialTilesFor_Size_NamesOneTilePerLevelWithAnUnfinishedTile()
    {
        Assert.Empty(LedgerTileName.PartialTilesFor(0));
        Assert.Equal(["tile/0/000.p/1"], LedgerTileName.PartialTilesFor(1).Select(n => n.Path));
        Assert.Equal(["tile/1/000.p/1"], LedgerTileName.PartialTilesFor(256).Select(n => n.Path));
        Assert.Equal(["tile/0/001.p/4", "tile/1/000.p/1"], LedgerTileName.PartialTilesFor(260).Select(n => n.Path));
        Assert.Equal(["tile/2/000.p/1"], LedgerTileName.PartialTilesFor(65536).Select(n => n.Path));
        Assert.Equal(
            ["tile/0/x001/000.p/16", "tile/1/003.p/232", "tile/2/000.p/3"],
            LedgerTileName.PartialTilesFor((1000 * 256) + 16).Select(n => n.Path));
    }
}
