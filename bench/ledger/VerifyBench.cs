using System.Diagnostics;
using Tenants.Ledger.Entries;
using Tenants.Ledger.Merkle;
using Tenants.Ledger.Sessions;
using Tenants.Ledger.Storage;
using Tenants.Ledger.Tiles;
using Tenants.Ledger.Verification;
using Tenants.Testing.Ledger;

namespace Tenants.Bench.Ledger;

/// <summary>
/// Full verification of a ledger held in memory (no storage latency: what is measured is the verifier itself):
/// blocks of 256 entries, a signed checkpoint every 16 blocks, as the ledger grain writes them under load.
/// </summary>
internal static class VerifyBench
{
    public static async Task RunAsync(int entries, double sha256MBps)
    {
        const string Tenant = "t1";
        const string Origin = "bench.local/ledger/t1";
        var store = new InMemoryLedgerStore();
        using var signer = new TestLedgerSigner("bench.local/ledger");
        var writer = new TestLedgerWriter(store, signer, Tenant, Origin, SampleEntries.Entry);
        var watch = Stopwatch.StartNew();
        long bytes = 0;
        for (var written = 0; written < entries; written += 256)
        {
            bytes += await writer.AppendBlockAsync(Math.Min(256, entries - written), checkpoint: (written / 256 + 1) % 16 == 0 || written + 256 >= entries);
            if (written % 100_000 < 256)
            {
                Console.Error.Write($"\rbuilding ledger: {written:N0}/{entries:N0}");
            }
        }

        Console.Error.WriteLine($"\rbuilt {entries:N0} entries ({bytes / 1e6:0.0} MB of entries) in {watch.Elapsed.TotalSeconds:0.0} s");

        var verifier = new LedgerVerifier(store, [signer.PublicKey]);
        for (var round = 0; round < 5; round++)
        {
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            watch.Restart();
            var report = await verifier.VerifyAsync(Tenant, Origin);
            watch.Stop();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            if (!report.IsValid)
            {
                throw new InvalidOperationException("the benchmark ledger did not verify: " + string.Join(Environment.NewLine, report.Lines.Take(5)));
            }

            var mbps = bytes / watch.Elapsed.TotalSeconds / 1e6;
            Console.WriteLine($"verify {entries:N0} entries, round {round + 1}: {watch.Elapsed.TotalMilliseconds:N0} ms, {mbps:0} MB/s of entries, {entries / watch.Elapsed.TotalSeconds:N0} entries/s, {mbps / sha256MBps:P0} of raw SHA-256, {cpu.TotalMilliseconds / watch.Elapsed.TotalMilliseconds:0.00} cores busy");
        }
    }

    /// <summary>Where verification time goes per entry: decompression, header check and leaf hashing, one core each.</summary>
    public static void Breakdown()
    {
        const string Tenant = "t1";
        const string Origin = "bench.local/ledger/t1";
        var entries = Enumerable.Range(0, 256).Select(i => (ReadOnlyMemory<byte>)SampleEntries.Entry(Origin, Tenant, i)).ToList();
        var name = new LedgerBlockName(0, 255);
        var stored = new LedgerBlock(name, entries).Encode();
        var bytes = entries.Sum(e => e.Length);
        Console.WriteLine($"block of 256 entries: {bytes:N0} bytes, {stored.Length:N0} stored");
        Report("gunzip + split", bytes, () => LedgerBlock.Decode(name, stored));
        Report("header check (full reader)", bytes, () =>
        {
            foreach (var entry in entries)
            {
                LedgerEntryReader.TryReadHeader(entry.Span, out _, out _);
            }
        });
        var origin = System.Text.Encoding.UTF8.GetBytes(Origin);
        var tenant = System.Text.Encoding.UTF8.GetBytes(Tenant);
        Report("header check (verifier's match)", bytes, () =>
        {
            foreach (var entry in entries)
            {
                LedgerEntryReader.TryMatchHeader(entry.Span, origin, tenant, out _);
            }
        });
        Report("session facts, own pass", bytes, () =>
        {
            foreach (var entry in entries)
            {
                SessionEntryReader.TryRead(entry.Span, out _);
            }
        });
        Report("header check + session facts, one pass", bytes, () =>
        {
            foreach (var entry in entries)
            {
                LedgerEntryReader.TryMatchHeader(entry.Span, origin, tenant, out _, out _);
            }
        });
        var hash = new byte[32];
        Report("leaf hash", bytes, () =>
        {
            foreach (var entry in entries)
            {
                Rfc6962Hasher.HashLeaf(entry.Span, hash);
            }
        });
        var tree = new CompactRange();
        Report("compact range append", bytes, () =>
        {
            for (var i = 0; i < 256; i++)
            {
                tree.Append(hash);
            }
        });
        var tiles = new TileBuilder();
        Report("tile builder append", bytes, () =>
        {
            for (var i = 0; i < 256; i++)
            {
                tiles.Append(hash);
            }

            tiles.DrainCompletedTiles();
        });
    }

    private static void Report(string what, long bytes, Action work)
    {
        for (var i = 0; i < 50; i++)
        {
            work();
        }

        var rounds = 0;
        var watch = Stopwatch.StartNew();
        while (watch.ElapsedMilliseconds < 1500)
        {
            work();
            rounds++;
        }

        Console.WriteLine($"  {what}: {bytes * rounds / watch.Elapsed.TotalSeconds / 1e6:0} MB/s of entries, {watch.Elapsed.TotalMilliseconds * 1000 / (rounds * 256.0):0.00} us per entry");
    }
}
