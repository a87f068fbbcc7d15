using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Tenants.Bench.Ledger;
using Tenants.Ledger.Merkle;

// Usage: tenants-bench-ledger [sha256|append|verify|proofs|all] [--entries N] [--verify-entries N]
// Prints one line per measurement; docs/benchmarks.md records them with the command.
var what = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "all";
var appendEntries = Option("--entries", 10_000_000);
var verifyEntries = Option("--verify-entries", 1_000_000);
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

Console.WriteLine($"# {Environment.ProcessorCount} cores, {RuntimeInformationText()}");
double sha256MBps = 0;
if (what is "all" or "sha256" or "verify")
{
    sha256MBps = Sha256Baseline();
}

if (what is "all" or "append")
{
    Append(appendEntries);
}

if (what is "all" or "verify" or "breakdown")
{
    VerifyBench.Breakdown();
}

if (what is "all" or "verify")
{
    await VerifyBench.RunAsync(verifyEntries, sha256MBps);
}

if (what is "all" or "proofs")
{
    await ProofBench.RunAsync();
}

return 0;

int Option(string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], out var value) && value > 0 ? value : fallback;
}

static string RuntimeInformationText() =>
    $"{System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}";

// The physical limit: one core hashing large buffers, and hashing entry-sized inputs one call each.
static double Sha256Baseline()
{
    var buffer = new byte[1 << 20];
    RandomNumberGenerator.Fill(buffer);
    var hash = new byte[32];
    var bytes = Measure(TimeSpan.FromSeconds(2), () =>
    {
        SHA256.HashData(buffer, hash);
        return buffer.Length;
    });
    Console.WriteLine($"sha256 1MiB buffers, 1 core: {bytes:0} MB/s");

    var entries = Enumerable.Range(0, 4096).Select(i => SampleEntries.Entry("bench.local/ledger/t1", "t1", i)).ToArray();
    var next = 0;
    var perEntry = Measure(TimeSpan.FromSeconds(2), () =>
    {
        var entry = entries[next++ & 4095];
        SHA256.HashData(entry, hash);
        return entry.Length;
    });
    Console.WriteLine($"sha256 per entry ({entries.Average(e => e.Length):0} B average), 1 core: {perEntry:0} MB/s");
    return bytes;
}

// Appends into the in-memory tree: leaf hashing of realistic entries plus the compact range's merges.
static void Append(int count)
{
    var entries = Enumerable.Range(0, 4096).Select(i => SampleEntries.Entry("bench.local/ledger/t1", "t1", i)).ToArray();
    Span<byte> leaf = stackalloc byte[32];
    for (var round = 0; round < 3; round++)
    {
        var tree = new CompactRange();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            Rfc6962Hasher.HashLeaf(entries[i & 4095], leaf);
            tree.Append(leaf);
        }

        watch.Stop();
        Console.WriteLine($"append {count:N0} entries (leaf hash + tree), round {round + 1}: {count / watch.Elapsed.TotalSeconds:N0} entries/s");
    }

    // As the ledger grain and the verifier do it: a block of 256 entries at a time, leaf hashes on all cores.
    var batch = new ReadOnlyMemory<byte>[256];
    var batchHashes = new byte[256 * Rfc6962Hasher.HashSize];
    for (var round = 0; round < 3; round++)
    {
        var tree = new CompactRange();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i += 256)
        {
            for (var j = 0; j < 256; j++)
            {
                batch[j] = entries[(i + j) & 4095];
            }

            Rfc6962Hasher.HashLeaves(batch, batchHashes);
            tree.AppendLeaves(batchHashes);
        }

        watch.Stop();
        Console.WriteLine($"append {count:N0} entries in blocks of 256 (leaf hashes on {Environment.ProcessorCount} cores + tree), round {round + 1}: {count / watch.Elapsed.TotalSeconds:N0} entries/s");
    }

    var hashes = entries.Select(e => Rfc6962Hasher.HashLeaf(e)).ToArray();
    var prehashed = new CompactRange();
    var timer = Stopwatch.StartNew();
    for (var i = 0; i < count; i++)
    {
        prehashed.Append(hashes[i & 4095]);
    }

    timer.Stop();
    Console.WriteLine($"append {count:N0} leaf hashes (tree only): {count / timer.Elapsed.TotalSeconds:N0} entries/s");
}

// Runs work repeatedly for about the given time after a warm-up; returns MB/s of the byte counts it returns.
static double Measure(TimeSpan duration, Func<int> work)
{
    for (var i = 0; i < 1000; i++)
    {
        work();
    }

    long total = 0;
    var watch = Stopwatch.StartNew();
    while (watch.Elapsed < duration)
    {
        for (var i = 0; i < 100; i++)
        {
            total += work();
        }
    }

    return total / watch.Elapsed.TotalSeconds / 1e6;
}
