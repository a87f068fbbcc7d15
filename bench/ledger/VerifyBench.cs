using System.Diagnostics;
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
        for (var round = 0; round < 3; round++)
        {
            watch.Restart();
            var report = await verifier.VerifyAsync(Tenant, Origin);
            watch.Stop();
            if (!report.IsValid)
            {
                throw new InvalidOperationException("the benchmark ledger did not verify: " + string.Join(Environment.NewLine, report.Lines.Take(5)));
            }

            var mbps = bytes / watch.Elapsed.TotalSeconds / 1e6;
            Console.WriteLine($"verify {entries:N0} entries, round {round + 1}: {watch.Elapsed.TotalMilliseconds:N0} ms, {mbps:0} MB/s of entries, {entries / watch.Elapsed.TotalSeconds:N0} entries/s, {mbps / sha256MBps:P0} of raw SHA-256");
        }
    }
}
