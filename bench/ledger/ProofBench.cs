using System.Buffers.Binary;
using System.Diagnostics;
using Tenants.Ledger.Merkle;
using Tenants.Ledger.Tiles;

namespace Tenants.Bench.Ledger;

/// <summary>
/// Proof latency at 1e3..1e7 leaves, from hash tiles held in memory (no storage latency: what is measured is the
/// tile-based proof reader and the verifier). For each size a <see cref="TileBuilder"/> is fed cheap leaf hashes
/// (the leaf hash of the 8-byte index) and every tile it hands out is kept: all full tiles plus the partial tiles
/// of the final size. Inclusion proofs are for random leaves of the full tree, consistency proofs from random smaller
/// sizes to the full size (a consistency proof reads only the tiles of the larger size, so any smaller size works;
/// its root is taken from the builder as it passes that size). Every proof is checked against the builder's root
/// before its latency counts, so a wrong proof fails the run instead of being measured.
/// <para>
/// Two reader variants: a fresh <see cref="TiledProofReader"/> per proof (cold: the time includes creating the
/// reader, reading every tile the proof touches from the in-memory source, a second lookup when a partial tile is
/// superseded by its full tile, copying the tile and hashing all of its inner nodes, up to 255 hashes a tile, then
/// assembling the proof), and one reader shared by all proofs of a size after a first untimed pass over the same
/// proofs (warm: every tile is cached, so only the path arithmetic, cache lookups, copies of the proof's hashes and
/// the folds of ranges that span several subtrees remain).
/// </para>
/// </summary>
internal static class ProofBench
{
    private const int Samples = 2_000;
    private static readonly long[] Sizes = [1_000, 10_000, 100_000, 1_000_000, 10_000_000];

    public static async Task RunAsync()
    {
        // Warm-up on a small tree until the measured code has reached its optimised tier; nothing printed.
        var warmup = Build(10_000, new Random(1), progress: false);
        var watch = Stopwatch.StartNew();
        var rounds = 0;
        while (watch.Elapsed < TimeSpan.FromSeconds(2) || rounds < 3)
        {
            await MeasureAsync(warmup, new Random(rounds), print: false);
            rounds++;
        }

        foreach (var size in Sizes)
        {
            var random = new Random(6962 + (int)Math.Log10(size));
            var tree = Build(size, random, progress: true);
            GC.Collect();
            GC.WaitForPendingFinalizers();
            await MeasureAsync(tree, random, print: true);
        }
    }

    private static BenchTree Build(long size, Random random, bool progress)
    {
        // The smaller sizes of the consistency proofs, chosen up front so their roots are taken on the way.
        var oldSizes = new long[Samples];
        for (var i = 0; i < Samples; i++)
        {
            oldSizes[i] = 1 + random.NextInt64(size - 1);
        }

        Array.Sort(oldSizes);
        var oldRoots = new byte[Samples][];
        var builder = new TileBuilder();
        var tiles = new InMemoryTileSource();
        Span<byte> index = stackalloc byte[sizeof(long)];
        Span<byte> leaf = stackalloc byte[Rfc6962Hasher.HashSize];
        var next = 0;
        var watch = Stopwatch.StartNew();
        for (long i = 0; i < size; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(index, i);
            Rfc6962Hasher.HashLeaf(index, leaf);
            builder.Append(leaf);
            if (builder.Size % LedgerTileName.FullWidth == 0)
            {
                tiles.Add(builder.DrainCompletedTiles());
            }

            for (; next < Samples && oldSizes[next] == builder.Size; next++)
            {
                oldRoots[next] = next > 0 && oldSizes[next - 1] == builder.Size ? oldRoots[next - 1] : builder.ToCompactRange().GetRootHash();
            }

            if (progress && i % 500_000 == 0)
            {
                Console.Error.Write($"\rbuilding tiles for {Label(size)} leaves: {i:N0}/{size:N0}");
            }
        }

        tiles.Add(builder.DrainCompletedTiles());
        tiles.Add(builder.GetPartialTiles());
        var root = builder.ToCompactRange().GetRootHash();
        if (progress)
        {
            Console.Error.WriteLine(
                $"\rbuilt tiles for {Label(size)} leaves: {tiles.Count:N0} tiles, {tiles.Bytes / 1e6:0.0} MB, in {watch.Elapsed.TotalSeconds:0.0} s          ");
        }

        return new BenchTree(size, tiles, root, oldSizes, oldRoots);
    }

    private static async Task MeasureAsync(BenchTree tree, Random random, bool print)
    {
        var size = tree.Size;
        var label = Label(size);
        var tiles = tree.Tiles;

        // The tiles must give the builder's root, or every proof below would be checked against the wrong tree.
        var tileRoot = await new TiledProofReader(tiles).GetRootHashAsync(size);
        if (!tileRoot.AsSpan().SequenceEqual(tree.Root))
        {
            throw new InvalidOperationException($"The tiles of {label} leaves give a root other than the builder's.");
        }

        var leaves = new long[Samples];
        var leafHashes = new byte[Samples][];
        var entry = new byte[sizeof(long)];
        for (var i = 0; i < Samples; i++)
        {
            leaves[i] = random.NextInt64(size);
            BinaryPrimitives.WriteInt64LittleEndian(entry, leaves[i]);
            leafHashes[i] = Rfc6962Hasher.HashLeaf(entry);
        }

        // Inclusion, fresh reader per proof.
        var generate = new double[Samples];
        var verify = new double[Samples];
        var proofs = new IReadOnlyList<byte[]>[Samples];
        var (hits, misses) = (tiles.Hits, tiles.Misses);
        for (var i = 0; i < Samples; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var reader = new TiledProofReader(tiles);
            proofs[i] = await reader.GetInclusionProofAsync(leaves[i], size);
            generate[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        var tilesPerProof = (double)(tiles.Hits - hits) / Samples;
        var missesPerProof = (double)(tiles.Misses - misses) / Samples;
        var hashesPerProof = proofs.Average(p => p.Count);
        for (var i = 0; i < Samples; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var valid = MerkleProofs.VerifyInclusion(leaves[i], size, leafHashes[i], proofs[i], tree.Root);
            verify[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (!valid)
            {
                throw new InvalidOperationException($"The inclusion proof of leaf {leaves[i]} in {label} leaves does not verify.");
            }
        }

        if (print)
        {
            Console.WriteLine(
                $"inclusion proof {label}: generate {Percentiles(generate, "0.000")} (fresh reader, {tilesPerProof:0.0} tiles read"
                + $"{(missesPerProof > 0 ? $" + {missesPerProof:0.0} superseded partial-tile lookups" : "")}, {hashesPerProof:0.0} hashes); verify {Percentiles(verify, "0.0000")}");
        }

        // Inclusion, one reader for all proofs, its tiles cached by an untimed first pass.
        var shared = new TiledProofReader(tiles);
        hits = tiles.Hits;
        for (var i = 0; i < Samples; i++)
        {
            await shared.GetInclusionProofAsync(leaves[i], size);
        }

        var cached = tiles.Hits - hits;
        for (var i = 0; i < Samples; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var proof = await shared.GetInclusionProofAsync(leaves[i], size);
            generate[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (!MerkleProofs.VerifyInclusion(leaves[i], size, leafHashes[i], proof, tree.Root))
            {
                throw new InvalidOperationException($"The inclusion proof of leaf {leaves[i]} in {label} leaves, from the shared reader, does not verify.");
            }
        }

        if (print)
        {
            Console.WriteLine($"inclusion proof {label}: generate {Percentiles(generate, "0.000")} (shared warm reader, {cached:N0} tiles cached)");
        }

        // Consistency from a random smaller size to the full size, in random order; fresh reader per proof.
        var order = Enumerable.Range(0, Samples).ToArray();
        random.Shuffle(order);
        (hits, misses) = (tiles.Hits, tiles.Misses);
        for (var i = 0; i < Samples; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var reader = new TiledProofReader(tiles);
            proofs[i] = await reader.GetConsistencyProofAsync(tree.OldSizes[order[i]], size);
            generate[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        tilesPerProof = (double)(tiles.Hits - hits) / Samples;
        missesPerProof = (double)(tiles.Misses - misses) / Samples;
        hashesPerProof = proofs.Average(p => p.Count);
        for (var i = 0; i < Samples; i++)
        {
            var old = order[i];
            var start = Stopwatch.GetTimestamp();
            var valid = MerkleProofs.VerifyConsistency(tree.OldSizes[old], size, tree.OldRoots[old], tree.Root, proofs[i]);
            verify[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (!valid)
            {
                throw new InvalidOperationException($"The consistency proof from {tree.OldSizes[old]} to {label} leaves does not verify.");
            }
        }

        if (print)
        {
            Console.WriteLine(
                $"consistency proof {label}: generate {Percentiles(generate, "0.000")} (fresh reader, random smaller size, {tilesPerProof:0.0} tiles read"
                + $"{(missesPerProof > 0 ? $" + {missesPerProof:0.0} superseded partial-tile lookups" : "")}, {hashesPerProof:0.0} hashes); verify {Percentiles(verify, "0.0000")}");
        }

        // Consistency, one shared reader warmed by an untimed first pass.
        shared = new TiledProofReader(tiles);
        hits = tiles.Hits;
        for (var i = 0; i < Samples; i++)
        {
            await shared.GetConsistencyProofAsync(tree.OldSizes[order[i]], size);
        }

        cached = tiles.Hits - hits;
        for (var i = 0; i < Samples; i++)
        {
            var old = order[i];
            var start = Stopwatch.GetTimestamp();
            var proof = await shared.GetConsistencyProofAsync(tree.OldSizes[old], size);
            generate[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (!MerkleProofs.VerifyConsistency(tree.OldSizes[old], size, tree.OldRoots[old], tree.Root, proof))
            {
                throw new InvalidOperationException($"The consistency proof from {tree.OldSizes[old]} to {label} leaves, from the shared reader, does not verify.");
            }
        }

        if (print)
        {
            Console.WriteLine($"consistency proof {label}: generate {Percentiles(generate, "0.000")} (shared warm reader, {cached:N0} tiles cached)");
        }
    }

    private static string Percentiles(double[] milliseconds, string format)
    {
        var sorted = milliseconds.ToArray();
        Array.Sort(sorted);
        var p50 = sorted[(sorted.Length - 1) / 2];
        var p99 = sorted[Math.Max(0, (int)Math.Ceiling(sorted.Length * 0.99) - 1)];
        return $"p50 {p50.ToString(format)} ms p99 {p99.ToString(format)} ms";
    }

    private static string Label(long size) => $"1e{Math.Round(Math.Log10(size)):0}";

    // A tree's tiles, its root, and the smaller sizes (ascending) with their roots for consistency proofs.
    private sealed record BenchTree(long Size, InMemoryTileSource Tiles, byte[] Root, long[] OldSizes, byte[][] OldRoots);
}
