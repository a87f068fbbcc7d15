using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Tenants.Abstractions.Audit;
using Tenants.Bench.LedgerStorage;
using Tenants.Infrastructure.Storage;
using Tenants.Ledger.Checkpoints;
using Tenants.Ledger.Entries;
using Tenants.Ledger.Merkle;
using Tenants.Ledger.Storage;
using Tenants.Testing;
using Tenants.Testing.Ledger;

// Usage: tenants-bench-ledger-storage [--events N] [--connection-string S] [--no-journal] [--journal-batch N]
//        tenants-bench-ledger-storage --compare-levels [--events N]
// Writes N statement events (default 1,000,000) as blocks of 256 with a signed checkpoint every 4,096 entries (and,
// unless --no-journal, the same entries to the journal in appends of --journal-batch, default 64) through
// BlobLedgerStore into an Azurite it starts (or the given storage), then lists the tenant's blobs and prints bytes per
// million events and GB/month. --compare-levels instead times gzip levels on the same entries.
const int BlockEntries = 256;
const int CheckpointEntries = 4_096;
const string Tenant = "bench-tenant";
const string Origin = "bench.tenants/ledger/bench-tenant";

var events = Option("--events", 1_000_000);
var journalBatch = Option("--journal-batch", 64);
var journal = !args.Contains("--no-journal");
var connectionString = OptionText("--connection-string");

if (args.Contains("--compare-levels"))
{
    CompareLevels(Math.Min(events, 262_144));
    return 0;
}

await using var azurite = connectionString is null ? await AzuriteServer.StartAsync() : null;
var container = new BlobContainerClient(connectionString ?? azurite!.ConnectionString, $"bench-{DateTime.UtcNow:yyyyMMddHHmmss}");
var store = new BlobLedgerStore(container);
// The journal in the same container here, so one listing counts both (in a deployment it has a container of its own).
var journalStore = new BlobLedgerJournal(container);
using var signer = new TestLedgerSigner("bench.tenants/ledger");
var generator = new StatementEvents(seed: 42);
var tree = new CompactRange();
var watch = Stopwatch.StartNew();
long uncompressed = 0;
string? previousNote = null;
long previousSize = 0;

Console.WriteLine($"writing {events:N0} events to {container.Uri} (journal: {(journal ? $"appends of {journalBatch}" : "off")})");
for (long first = 0; first < events; first += CheckpointEntries)
{
    var size = (int)Math.Min(CheckpointEntries, events - first);
    var entries = new List<ReadOnlyMemory<byte>>(size);
    for (var i = 0; i < size; i++)
    {
        var e = generator.Next(Tenant);
        var entry = LedgerEntryWriter.Write(
            new LedgerEntryHeader(Origin, Tenant, first + i, e.Time, AuditEventJson.KindName(e.Kind)), w => AuditEventJson.WriteBody(w, e));
        entries.Add(entry);
        tree.Append(Rfc6962Hasher.HashLeaf(entry));
    }

    if (journal)
    {
        for (var offset = 0; offset < size; offset += journalBatch)
        {
            var count = Math.Min(journalBatch, size - offset);
            await journalStore.AppendAsync(Tenant, first + offset, entries.GetRange(offset, count));
        }
    }

    var writes = new List<Task>();
    for (var offset = 0; offset < size; offset += BlockEntries)
    {
        var count = Math.Min(BlockEntries, size - offset);
        var block = new LedgerBlock(new LedgerBlockName(first + offset, first + offset + count - 1), entries.GetRange(offset, count));
        uncompressed += block.EncodeContent().Length;
        writes.Add(store.WriteBlockAsync(Tenant, block));
    }

    await Task.WhenAll(writes);
    var treeSize = first + size;
    var extensions = CheckpointExtensions.Create(DateTimeOffset.UtcNow, previousNote, previousSize, treeSize, signer.PublicKey);
    var note = await CheckpointNote.SignAsync(new Checkpoint(Origin, treeSize, tree.GetRootHash(), extensions), signer);
    await store.WriteCheckpointAsync(Tenant, treeSize, note);
    previousNote = note;
    previousSize = treeSize;
    if (treeSize % (CheckpointEntries * 16) == 0 || treeSize == events)
    {
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture, $"  {treeSize,12:N0} events  {watch.Elapsed.TotalSeconds,7:0.0} s  {treeSize / watch.Elapsed.TotalSeconds,9:N0} events/s"));
    }
}

long blocks = 0, checkpoints = 0, journalBytes = 0;
int blockCount = 0, checkpointCount = 0, segmentCount = 0;
await foreach (var item in container.GetBlobsAsync(new GetBlobsOptions { Prefix = $"tenants/{Tenant}/" }))
{
    var path = item.Name[$"tenants/{Tenant}/".Length..];
    var length = item.Properties.ContentLength ?? 0;
    if (path.StartsWith(LedgerBlockName.Folder, StringComparison.Ordinal))
    {
        blocks += length;
        blockCount++;
    }
    else if (path.StartsWith(LedgerCheckpointName.Folder, StringComparison.Ordinal))
    {
        checkpoints += length;
        checkpointCount++;
    }
    else if (path.StartsWith(LedgerJournalSegmentName.Folder, StringComparison.Ordinal))
    {
        journalBytes += length;
        segmentCount++;
    }
}

var perMillion = 1_000_000.0 / events;
Console.WriteLine();
Console.WriteLine($"{events:N0} events in {watch.Elapsed.TotalSeconds:0.0} s; bytes per million events:");
Row("blocks, stored (gzip)", blocks, blockCount);
Row("blocks, uncompressed entries", uncompressed, blockCount);
Row("checkpoints", checkpoints, checkpointCount);
Row("journal", journalBytes, segmentCount);
Row("total stored", blocks + checkpoints + journalBytes, blockCount + checkpointCount + segmentCount);
Console.WriteLine($"  compression: {(double)uncompressed / blocks:0.00}x; {uncompressed / (double)events:0} bytes per entry, {blocks / (double)events:0.0} stored");
Console.WriteLine();
Console.WriteLine("GB per month (30 days) of sustained events, stored (blocks + checkpoints [+ journal]):");
foreach (var rate in new[] { 10, 100, 1_000, 10_000 })
{
    var perMonth = rate * 86_400.0 * 30 / events;
    Console.WriteLine($"  {rate,6:N0} events/s: {(blocks + checkpoints) * perMonth / 1e9,10:N1} GB{(journal ? $"  (+ journal {journalBytes * perMonth / 1e9:N1} GB)" : string.Empty)}");
}

return 0;

void Row(string what, long bytes, int blobs) =>
    Console.WriteLine($"  {what,-30} {bytes * perMillion / 1e6,10:N1} MB  ({blobs:N0} blobs in this run)");

void CompareLevels(int count)
{
    var generator = new StatementEvents(seed: 42);
    var contents = new List<byte[]>();
    for (var first = 0; first < count; first += BlockEntries)
    {
        var entries = new List<ReadOnlyMemory<byte>>();
        for (var i = 0; i < BlockEntries; i++)
        {
            var e = generator.Next(Tenant);
            entries.Add(LedgerEntryWriter.Write(new LedgerEntryHeader(Origin, Tenant, first + i, e.Time, "statement"), w => AuditEventJson.WriteBody(w, e)));
        }

        contents.Add(new LedgerBlock(new LedgerBlockName(first, first + BlockEntries - 1), entries).EncodeContent());
    }

    var total = contents.Sum(c => (long)c.Length);
    Console.WriteLine($"{contents.Count:N0} blocks of {BlockEntries}, {total / 1e6:N1} MB of entries ({total / (double)(contents.Count * BlockEntries):0} bytes each)");
    foreach (var level in new[] { CompressionLevel.Fastest, CompressionLevel.Optimal, CompressionLevel.SmallestSize })
    {
        Compress(level, contents[0]);
        var levelWatch = Stopwatch.StartNew();
        var compressed = contents.Select(c => Compress(level, c)).ToList();
        var compressSeconds = levelWatch.Elapsed.TotalSeconds;
        levelWatch.Restart();
        foreach (var c in compressed)
        {
            _ = LedgerBlockCodec.Decompress(c, LedgerBlockCodec.MaxBlockBytes);
        }

        var decompressSeconds = levelWatch.Elapsed.TotalSeconds;
        var stored = compressed.Sum(c => (long)c.Length);
        Console.WriteLine(
            $"  {level,-12} compress {total / 1e6 / compressSeconds,6:N0} MB/s   decompress {total / 1e6 / decompressSeconds,6:N0} MB/s   "
            + $"ratio {(double)total / stored:0.00}x   {stored / (double)(contents.Count * BlockEntries),5:0.0} bytes/entry");
    }
}

static byte[] Compress(CompressionLevel level, byte[] content)
{
    using var output = new MemoryStream();
    using (var gzip = new GZipStream(output, level, leaveOpen: true))
    {
        gzip.Write(content);
    }

    return output.ToArray();
}

int Option(string name, int fallback)
{
    var text = OptionText(name);
    return text is not null && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
}

string? OptionText(string name)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
}
