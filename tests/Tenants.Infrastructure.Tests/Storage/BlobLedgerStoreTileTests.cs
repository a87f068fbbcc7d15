using Azure.Storage.Blobs;
using Tenants.Infrastructure.Storage;
using Tenants.Ledger.Storage;
using Tenants.Ledger.Tiles;
using Tenants.Testing;

namespace Tenants.Infrastructure.Tests.Storage;

/// <summary>Hash tiles in the blob store, against Azurite.</summary>
public sealed class BlobLedgerStoreTileTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private readonly string _containerName = $"ledger-{Guid.NewGuid():N}";

    [Fact]
    public async Task Tile_WrittenThenRead_IsStoredAtItsTlogTilesPath()
    {
        var store = CreateStore();
        var name = new LedgerTileName(1, 1234067, 3);
        var content = Content(3, seed: 7);

        await store.WriteTileAsync("tenant-1", name, content);

        Assert.Equal(content, await store.ReadTileAsync("tenant-1", name));
        var blob = Container().GetBlobClient("tenants/tenant-1/tile/1/x001/x234/067.p/3");
        Assert.Equal(content, (await blob.DownloadContentAsync()).Value.Content.ToArray());
    }

    [Fact]
    public async Task ReadTile_NotStored_IsNull()
    {
        Assert.Null(await CreateStore().ReadTileAsync("tenant-1", new LedgerTileName(0, 0, 256)));
    }

    [Fact]
    public async Task WriteTile_SameBytesAgain_SucceedsButOtherBytesAreRefusedAndTheOriginalKept()
    {
        var store = CreateStore();
        var name = new LedgerTileName(0, 2, 256);
        var content = Content(256, seed: 1);
        await store.WriteTileAsync("tenant-1", name, content);

        await store.WriteTileAsync("tenant-1", name, content);
        await Assert.ThrowsAsync<LedgerBlobExistsException>(() => store.WriteTileAsync("tenant-1", name, Content(256, seed: 2)));

        Assert.Equal(content, await store.ReadTileAsync("tenant-1", name));
    }

    [Fact]
    public async Task ListTiles_FullAndPartial_ListsOnlyThatTenantsTiles()
    {
        var store = CreateStore();
        LedgerTileName[] names = [new(0, 0, 256), new(0, 1, 17), new(1, 0, 1), new(0, 1000, 256)];
        foreach (var name in names)
        {
            await store.WriteTileAsync("tenant-1", name, Content(name.Width, seed: 3));
        }

        await store.WriteTileAsync("tenant-2", new LedgerTileName(0, 5, 4), Content(4, seed: 4));

        var listed = await store.ListTilesAsync("tenant-1").ToListAsync();

        Assert.Equal(names.OrderBy(n => n.Path, StringComparer.Ordinal), listed.OrderBy(n => n.Path, StringComparer.Ordinal));
    }

    private BlobLedgerStore CreateStore() => new(Container());

    private BlobContainerClient Container() => new(azurite.ConnectionString, _containerName);

    private static byte[] Content(int hashes, int seed)
    {
        var content = new byte[hashes * 32];
        new Random(seed).NextBytes(content);
        return content;
    }
}
