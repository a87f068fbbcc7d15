using System.Text;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Tenants.Infrastructure.Storage;
using Tenants.Ledger.Storage;
using Tenants.Testing;
using Tenants.Testing.Ledger;

namespace Tenants.Infrastructure.Tests.Storage;

/// <summary>The journal's append blobs in Azurite: ordered replay, rolling, single-writer appends, torn tails.</summary>
public sealed class BlobLedgerJournalTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const string Tenant = "tenant-1";
    private const string Origin = "tenants.example/ledger/tenant-1";
    private readonly string _containerName = $"ledger-{Guid.NewGuid():N}";

    [Fact]
    public async Task Journal_BatchesAcrossRolledSegments_ReplayInLeafOrder()
    {
        var store = CreateStore(appendsPerSegment: 3);
        var leaf = 0L;
        foreach (var size in new[] { 1, 4, 2, 7, 1, 3, 5, 2, 1, 4 })
        {
            await store.AppendAsync(Tenant, leaf, Entries(leaf, size));
            leaf += size;
        }

        var segments = await SegmentsAsync();
        var all = await store.ReadAsync(Tenant, 0).ToListAsync();
        var fromMiddle = await CreateStore().ReadAsync(Tenant, 17).ToListAsync();

        Assert.Equal(["journal/00000000000000000000.log", "journal/00000000000000000007.log", "journal/00000000000000000018.log", "journal/00000000000000000026.log"], segments);
        AssertEntries(0, 30, all);
        AssertEntries(17, 13, fromMiddle);
    }

    [Fact]
    public async Task Journal_NewWriter_ContinuesWhereTheLastOneStopped()
    {
        await CreateStore(appendsPerSegment: 2).AppendAsync(Tenant, 0, Entries(0, 3));
        await CreateStore(appendsPerSegment: 2).AppendAsync(Tenant, 3, Entries(3, 3));
        await CreateStore(appendsPerSegment: 2).AppendAsync(Tenant, 6, Entries(6, 3));

        AssertEntries(0, 9, await CreateStore().ReadAsync(Tenant, 0).ToListAsync());
        Assert.Equal(["journal/00000000000000000000.log", "journal/00000000000000000006.log"], await SegmentsAsync());
    }

    [Fact]
    public async Task Journal_SecondWriterAppendedFirst_LoserGetsConflictAndNothingInterleaves()
    {
        var first = CreateStore();
        var second = CreateStore();
        await first.AppendAsync(Tenant, 0, Entries(0, 5));
        await second.AppendAsync(Tenant, 5, Entries(5, 5));

        var error = await Assert.ThrowsAsync<LedgerJournalConflictException>(() => first.AppendAsync(Tenant, 5, Entries(5, 3, "stale")));

        Assert.Contains("another writer", error.Message, StringComparison.Ordinal);
        AssertEntries(0, 10, await CreateStore().ReadAsync(Tenant, 0).ToListAsync());

        // Having lost, the writer sees the journal as it is now: the leaves it tried are taken, the next ones are free.
        await Assert.ThrowsAsync<LedgerJournalConflictException>(() => first.AppendAsync(Tenant, 5, Entries(5, 3, "stale")));
        await first.AppendAsync(Tenant, 10, Entries(10, 2));
        AssertEntries(0, 12, await CreateStore().ReadAsync(Tenant, 0).ToListAsync());
    }

    [Fact]
    public async Task Journal_AppendLeavingAGap_IsRefused()
    {
        var store = CreateStore();
        await store.AppendAsync(Tenant, 100, Entries(100, 2));

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.AppendAsync(Tenant, 105, Entries(105, 1)));

        AssertEntries(100, 2, await store.ReadAsync(Tenant, 0).ToListAsync());
    }

    [Fact]
    public async Task Journal_TornTail_ReplayStopsBeforeItAndTheNextAppendRollsPastIt()
    {
        await CreateStore().AppendAsync(Tenant, 0, Entries(0, 5));
        var record = LedgerJournalRecord.Encode(5, Entries(5, 2));
        await Segment(0).AppendBlockAsync(new MemoryStream(record[..(record.Length - 10)]));

        var beforeRepair = await CreateStore().ReadAsync(Tenant, 0).ToListAsync();
        await CreateStore().AppendAsync(Tenant, 5, Entries(5, 2));

        AssertEntries(0, 5, beforeRepair);
        AssertEntries(0, 7, await CreateStore().ReadAsync(Tenant, 0).ToListAsync());
        Assert.Equal(["journal/00000000000000000000.log", "journal/00000000000000000005.log"], await SegmentsAsync());
    }

    [Fact]
    public async Task Journal_ForeignRecord_IsReportedNotSkipped()
    {
        await CreateStore().AppendAsync(Tenant, 0, Entries(0, 3));
        await Segment(0).AppendBlockAsync(new MemoryStream(LedgerJournalRecord.Encode(40, Entries(40, 1))));

        var error = await Assert.ThrowsAsync<LedgerJournalFormatException>(async () => await CreateStore().ReadAsync(Tenant, 0).ToListAsync());

        Assert.Contains("journal/00000000000000000000.log", error.Message, StringComparison.Ordinal);
        Assert.Contains("leaves from 40", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Journal_BatchLargerThanOneAppend_IsSplitIntoWholeEntries()
    {
        var store = CreateStore(maxAppendBytes: 1024);
        var batch = Entries(0, 40);

        await store.AppendAsync(Tenant, 0, batch);

        var properties = (await Segment(0).GetPropertiesAsync()).Value;
        var appends = LedgerJournalRecord.Plan(batch, 1024).Count;
        Assert.True(appends > 1, $"a {batch.Sum(e => e.Length)}-byte batch fit one 1024-byte append");
        Assert.Equal(appends, properties.BlobCommittedBlockCount);
        AssertEntries(0, 40, await store.ReadAsync(Tenant, 0).ToListAsync());
    }

    [Fact]
    public async Task Journal_EntryLargerThanOneAppend_IsRefusedBeforeWriting()
    {
        var store = CreateStore(maxAppendBytes: 1024);

        await Assert.ThrowsAsync<ArgumentException>(() => store.AppendAsync(Tenant, 0, [Entries(0, 1)[0], new byte[2000]]));

        Assert.False(await Container().ExistsAsync());
    }

    [Fact]
    public async Task Journal_None_ReadsAsEmpty()
    {
        Assert.Empty(await CreateStore().ReadAsync(Tenant, 0).ToListAsync());
    }

    [Fact]
    public async Task Trim_DeletesWholeSegmentsBelowTheLeaf_AndKeepsTheLastOne()
    {
        var store = CreateStore(appendsPerSegment: 1);
        foreach (var first in new long[] { 0, 4, 8 })
        {
            await store.AppendAsync(Tenant, first, Entries(first, 4));
        }

        await store.TrimAsync(Tenant, 6);
        var afterPartialTrim = await SegmentsAsync();
        await store.TrimAsync(Tenant, 1_000);

        Assert.Equal(["journal/00000000000000000004.log", "journal/00000000000000000008.log"], afterPartialTrim);
        Assert.Equal(["journal/00000000000000000008.log"], await SegmentsAsync());
        AssertEntries(8, 4, await CreateStore().ReadAsync(Tenant, 0).ToListAsync());
        await Assert.ThrowsAsync<LedgerJournalConflictException>(() => CreateStore().AppendAsync(Tenant, 4, Entries(4, 1)));
    }

    private static List<ReadOnlyMemory<byte>> Entries(long first, int count, string? marker = null) =>
        [.. Enumerable.Range(0, count).Select(i => (ReadOnlyMemory<byte>)(marker is null
            ? TestLedgerWriter.Entry(Origin, Tenant, first + i)
            : Encoding.UTF8.GetBytes($"{{\"{marker}\":{first + i}}}")))];

    private static void AssertEntries(long first, int count, List<LedgerJournalEntry> read)
    {
        Assert.Equal(Enumerable.Range(0, count).Select(i => first + i), read.Select(e => e.LeafIndex));
        Assert.All(read, e => Assert.Equal(TestLedgerWriter.Entry(Origin, Tenant, e.LeafIndex), e.Entry.ToArray()));
    }

    private BlobLedgerJournal CreateStore(int appendsPerSegment = 40_000, int maxAppendBytes = 4 << 20) =>
        new(Container(), new BlobLedgerStoreOptions { JournalMaxAppendsPerSegment = appendsPerSegment, JournalMaxAppendBytes = maxAppendBytes });

    private async Task<List<string>> SegmentsAsync() =>
        await Container().GetBlobsAsync(new GetBlobsOptions { Prefix = $"tenants/{Tenant}/journal/" }).Select(b => b.Name[$"tenants/{Tenant}/".Length..]).ToListAsync();

    private AppendBlobClient Segment(long first) => Container().GetAppendBlobClient($"tenants/{Tenant}/{LedgerJournalSegmentName.Path(first)}");

    private BlobContainerClient Container() => new(azurite.ConnectionString, _containerName);
}
