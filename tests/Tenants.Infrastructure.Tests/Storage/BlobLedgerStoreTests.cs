using System.IO.Compression;
using System.Text;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tenants.Infrastructure.Hosting;
using Tenants.Infrastructure.Storage;
using Tenants.Ledger.Storage;
using Tenants.Testing;
using Tenants.Testing.Ledger;

namespace Tenants.Infrastructure.Tests.Storage;

public sealed class BlobLedgerStoreTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private readonly string _containerName = $"ledger-{Guid.NewGuid():N}";

    [Fact]
    public async Task Block_WrittenThenRead_ReturnsExactEntriesAndStoredBytes()
    {
        var store = CreateStore();
        var block = Block(0, """{"a":1}""", """{"b":"two"}""", "{}");

        await store.WriteBlockAsync("tenant-1", block);
        var read = await store.ReadBlockAsync("tenant-1", block.Name);

        Assert.Equal(block.Name, read.Name);
        Assert.Equal(block.Entries.Select(e => e.ToArray()), read.Entries.Select(e => e.ToArray()));
        var blob = Container().GetBlobClient("tenants/tenant-1/" + block.Name.Path);
        Assert.Equal("{\"a\":1}\n{\"b\":\"two\"}\n{}\n", Gunzip((await blob.DownloadContentAsync()).Value.Content.ToArray()));
        Assert.Equal("application/gzip", (await blob.GetPropertiesAsync()).Value.ContentType);
    }

    [Fact]
    public async Task Block_RealisticEntries_IsStoredAsGzipSmallerThanItsLines()
    {
        var store = CreateStore();
        var entries = Enumerable.Range(0, 256)
            .Select(i => (ReadOnlyMemory<byte>)TestLedgerWriter.Entry("tenants.example/ledger/tenant-1", "tenant-1", i))
            .ToList();
        var block = new LedgerBlock(new LedgerBlockName(0, 255), entries);

        await store.WriteBlockAsync("tenant-1", block);

        var stored = (await Container().GetBlobClient("tenants/tenant-1/blocks/00000000000000000000-00000000000000000255.jsonl.gz").DownloadContentAsync())
            .Value.Content.ToArray();
        var lines = block.EncodeContent();
        Assert.Equal([0x1f, 0x8b], stored[..2]);
        Assert.Equal(Encoding.UTF8.GetString(lines), Gunzip(stored));
        Assert.True(stored.Length * 3 < lines.Length, $"{stored.Length} stored bytes for {lines.Length} bytes of entries");
    }

    [Fact]
    public async Task Checkpoint_WrittenThenRead_ReturnsTheNote()
    {
        var store = CreateStore();
        const string note = "tenants.example/tenant-1\n3\nq1w2e3=\n\n— key1 c2lnbmF0dXJl\n";

        await store.WriteCheckpointAsync("tenant-1", 3, note);

        Assert.Equal(note, await store.ReadCheckpointAsync("tenant-1", 3));
        Assert.True(await Container().GetBlobClient("tenants/tenant-1/checkpoints/00000000000000000003.note").ExistsAsync());
    }

    [Fact]
    public async Task List_ManyBlocksAndCheckpoints_ComesBackInLeafOrder()
    {
        var store = CreateStore();
        await store.WriteBlockAsync("tenant-1", Block(10, "k", "l"));
        await store.WriteBlockAsync("tenant-1", Block(0, "a", "b", "c", "d", "e", "f", "g", "h", "i", "j"));
        await store.WriteBlockAsync("tenant-1", Block(100, "z"));
        foreach (var size in new long[] { 12, 2, 101, 10 })
        {
            await store.WriteCheckpointAsync("tenant-1", size, $"note {size}\n");
        }

        var blocks = await store.ListBlocksAsync("tenant-1").ToListAsync();
        var checkpoints = await store.ListCheckpointsAsync("tenant-1").ToListAsync();

        Assert.Equal([new LedgerBlockName(0, 9), new LedgerBlockName(10, 11), new LedgerBlockName(100, 100)], blocks);
        Assert.Equal([2L, 10L, 12L, 101L], checkpoints);
    }

    [Fact]
    public async Task Write_ExistingBlockOrCheckpoint_ThrowsLedgerBlobExistsAndKeepsTheOriginal()
    {
        var store = CreateStore();
        await store.WriteBlockAsync("tenant-1", Block(0, "original"));
        await store.WriteCheckpointAsync("tenant-1", 1, "original note\n");

        var blockError = await Assert.ThrowsAsync<LedgerBlobExistsException>(() => store.WriteBlockAsync("tenant-1", Block(0, "forged")));
        var noteError = await Assert.ThrowsAsync<LedgerBlobExistsException>(() => store.WriteCheckpointAsync("tenant-1", 1, "forged note\n"));

        Assert.Contains("tenants/tenant-1/blocks/00000000000000000000-00000000000000000000.jsonl.gz", blockError.Message, StringComparison.Ordinal);
        Assert.Contains("tenants/tenant-1/checkpoints/00000000000000000001.note", noteError.Message, StringComparison.Ordinal);
        Assert.Equal("original"u8.ToArray(), (await store.ReadBlockAsync("tenant-1", new LedgerBlockName(0, 0))).Entries.Single().ToArray());
        Assert.Equal("original note\n", await store.ReadCheckpointAsync("tenant-1", 1));
    }

    [Fact]
    public async Task Tenants_SameNames_AreIsolated()
    {
        var store = CreateStore();
        await store.WriteBlockAsync("tenant-a", Block(0, "from a"));
        await store.WriteBlockAsync("tenant-b", Block(0, "from b"));
        await store.WriteCheckpointAsync("tenant-a", 1, "a\n");

        Assert.Equal("from a"u8.ToArray(), (await store.ReadBlockAsync("tenant-a", new LedgerBlockName(0, 0))).Entries.Single().ToArray());
        Assert.Equal("from b"u8.ToArray(), (await store.ReadBlockAsync("tenant-b", new LedgerBlockName(0, 0))).Entries.Single().ToArray());
        Assert.Single(await store.ListCheckpointsAsync("tenant-a").ToListAsync());
        Assert.Empty(await store.ListCheckpointsAsync("tenant-b").ToListAsync());
        Assert.Empty(await store.ListBlocksAsync("tenant-c").ToListAsync());
    }

    [Theory]
    [InlineData("")]
    [InlineData("../tenant-b")]
    [InlineData("tenant-a/../tenant-b")]
    [InlineData("Tenant-A")]
    [InlineData("tenant_a")]
    [InlineData("tenant a")]
    [InlineData("tenant-a/blocks")]
    [InlineData("a234567890123456789012345678901234567890123456789012345678901234")]
    public async Task Operations_HostileTenantId_AreRejectedBeforeTouchingStorage(string tenantId)
    {
        var store = CreateStore();

        await Assert.ThrowsAsync<ArgumentException>(() => store.WriteBlockAsync(tenantId, Block(0, "x")));
        await Assert.ThrowsAsync<ArgumentException>(() => store.WriteCheckpointAsync(tenantId, 1, "x"));
        await Assert.ThrowsAsync<ArgumentException>(() => store.ReadBlockAsync(tenantId, new LedgerBlockName(0, 0)));
        await Assert.ThrowsAsync<ArgumentException>(() => store.ReadCheckpointAsync(tenantId, 1));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.ListBlocksAsync(tenantId).ToListAsync());
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.ListCheckpointsAsync(tenantId).ToListAsync());
        var journal = new BlobLedgerJournal(Container());
        await Assert.ThrowsAsync<ArgumentException>(() => journal.AppendAsync(tenantId, 0, ["{}"u8.ToArray()]));
        await Assert.ThrowsAsync<ArgumentException>(async () => await journal.ReadAsync(tenantId, 0).ToListAsync());
        await Assert.ThrowsAsync<ArgumentException>(() => journal.TrimAsync(tenantId, 0));
        Assert.False(await Container().ExistsAsync());
    }

    [Fact]
    public async Task WriteBlock_EntryWithLineFeed_IsRejected()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => CreateStore().WriteBlockAsync("tenant-1", Block(0, "two\nlines")));
    }

    [Fact]
    public async Task AddBlobLedgerStore_Configuration_ResolvesAWorkingStore()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Ledger:Blob:ConnectionString"] = azurite.ConnectionString,
                ["Ledger:Blob:ContainerName"] = _containerName,
            })
            .Build();
        await using var services = new ServiceCollection().AddBlobLedgerStore(configuration).BuildServiceProvider();

        var store = services.GetRequiredService<ILedgerStore>();
        await store.WriteCheckpointAsync("tenant-1", 0, "empty\n");

        Assert.IsType<BlobLedgerStore>(store);
        Assert.Equal([0L], await store.ListCheckpointsAsync("tenant-1").ToListAsync());
    }

    [Fact]
    public void AddBlobLedgerStore_NeitherConnectionStringNorServiceUri_FailsValidation()
    {
        var configuration = new ConfigurationBuilder().Build();
        using var services = new ServiceCollection().AddBlobLedgerStore(configuration).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<BlobLedgerStoreOptions>>().Value);
        Assert.Contains("Ledger:Blob:ConnectionString", error.Message, StringComparison.Ordinal);
    }

    private static string Gunzip(byte[] stored)
    {
        using var gzip = new GZipStream(new MemoryStream(stored), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private BlobLedgerStore CreateStore() => new(Container());

    private BlobContainerClient Container() => new(azurite.ConnectionString, _containerName);

    private static LedgerBlock Block(long first, params string[] entries) =>
        new(new LedgerBlockName(first, first + entries.Length - 1), [.. entries.Select(e => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(e))]);
}
