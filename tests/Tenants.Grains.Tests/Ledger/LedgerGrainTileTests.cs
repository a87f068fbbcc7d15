using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Tenants.Abstractions.Audit;
using Tenants.Abstractions.Ledger;
using Tenants.Grains.Ledger;
using Tenants.Ledger.Checkpoints;
using Tenants.Ledger.Merkle;
using Tenants.Ledger.Proofs;

namespace Tenants.Grains.Tests.Ledger;

/// <summary>The grain writes hash tiles so that every checkpointed size can be proven, across restarts and lost state.</summary>
public sealed class LedgerGrainTileTests(LedgerGrainFixture fixture) : IClassFixture<LedgerGrainFixture>
{
    private static AuditEvent Statement(string tenant, int i) => new()
    {
        EventId = Ulid.New(DateTimeOffset.UtcNow),
        Kind = AuditEventKind.Statement,
        Time = DateTimeOffset.UtcNow,
        TenantId = tenant,
        EndpointId = "ep",
        SessionId = "s1",
        Sql = $"select {i}",
    };

    private static string NewTenant() => "t-" + Guid.NewGuid().ToString("N")[..12];

    private ILedgerGrain Grain(string tenant) => fixture.Cluster.Client.GetGrain<ILedgerGrain>(tenant);

    private async Task<long> AppendAndCheckpointAsync(string tenant, int from, int count)
    {
        for (var i = from; i < from + count; i += 50)
        {
            await Grain(tenant).AppendAsync(Enumerable.Range(i, Math.Min(50, from + count - i)).Select(n => Statement(tenant, n)).ToList());
        }

        return (await Grain(tenant).CheckpointAsync()).CheckpointSize;
    }

    [Fact]
    public async Task Checkpoint_AcrossFullTiles_EveryCheckpointedSizeIsProvableFromTiles()
    {
        var tenant = NewTenant();
        var sizes = new List<long>
        {
            await AppendAndCheckpointAsync(tenant, 0, 100),
            await AppendAndCheckpointAsync(tenant, 100, 200),
            await AppendAndCheckpointAsync(tenant, 300, 300),
        };

        Assert.Equal([100L, 300L, 600L], sizes);
        Assert.Contains("tile/0/000", fixture.Store.Paths(tenant));
        Assert.Contains("tile/0/001", fixture.Store.Paths(tenant));
        await AssertProvableAsync(tenant, sizes);
    }

    [Fact]
    public async Task Activation_WithStateKept_RestoresTilesFromTheCheckpointAndKeepsEverySizeProvable()
    {
        var tenant = NewTenant();
        var first = await AppendAndCheckpointAsync(tenant, 0, 250);
        var tileReadsBefore = fixture.Store.TileReads;
        await fixture.Cluster.DeactivateAsync(Grain(tenant));

        var second = await AppendAndCheckpointAsync(tenant, 250, 20);

        Assert.True(fixture.Store.TileReads > tileReadsBefore, "the reactivated grain did not read the checkpoint's tiles");
        await AssertProvableAsync(tenant, [first, second]);
        var report = await new Tenants.Ledger.Verification.LedgerVerifier(fixture.Store, [fixture.Signer.PublicKey])
            .VerifyAsync(tenant, $"grains.test/ledger/{tenant}");
        Assert.True(report.IsValid, string.Join('\n', report.Lines));
    }

    [Fact]
    public async Task Activation_StateLostAndTilesMissing_RebuildsTheTilesFromBlocks()
    {
        var tenant = NewTenant();
        var first = await AppendAndCheckpointAsync(tenant, 0, 300);
        await fixture.Cluster.DeactivateAsync(Grain(tenant));
        var storage = fixture.Cluster.GetSiloServiceProvider().GetRequiredKeyedService<IGrainStorage>("ledger");
        var state = new GrainState<LedgerState>();
        await storage.ReadStateAsync("ledger", Grain(tenant).GetGrainId(), state);
        await storage.ClearStateAsync("ledger", Grain(tenant).GetGrainId(), state);

        // As if the ledger were written before tiles existed: no tile at all.
        foreach (var path in fixture.Store.Paths(tenant).Where(p => p.StartsWith("tile/", StringComparison.Ordinal)))
        {
            fixture.Store.Delete(tenant, path);
        }

        var second = await AppendAndCheckpointAsync(tenant, 300, 10);

        Assert.Equal(310, second);
        Assert.Contains("tile/0/000", fixture.Store.Paths(tenant));
        await AssertProvableAsync(tenant, [first, second]);
    }

    // What a client does: inclusion of the first and last entry of every checkpoint, consistency between neighbours,
    // each checked against the signed notes alone.
    private async Task AssertProvableAsync(string tenant, IReadOnlyList<long> sizes)
    {
        var proofs = new LedgerProofs(fixture.Store, tenant);
        for (var i = 0; i < sizes.Count; i++)
        {
            foreach (var index in new[] { 0, sizes[i] - 1 })
            {
                var inclusion = await proofs.GetInclusionProofAsync(index, sizes[i]);
                Assert.True(CheckpointNote.TryOpen(inclusion.Checkpoint, [fixture.Signer.PublicKey], out var checkpoint, out _));
                Assert.True(MerkleProofs.VerifyInclusion(index, sizes[i], Rfc6962Hasher.HashLeaf(inclusion.Entry.Span), inclusion.Hashes, checkpoint!.RootHash));
            }

            if (i > 0)
            {
                var consistency = await proofs.GetConsistencyProofAsync(sizes[i - 1], sizes[i]);
                Assert.True(CheckpointNote.TryOpen(consistency.FromCheckpoint, [fixture.Signer.PublicKey], out var older, out _));
                Assert.True(CheckpointNote.TryOpen(consistency.ToCheckpoint, [fixture.Signer.PublicKey], out var newer, out _));
                Assert.True(MerkleProofs.VerifyConsistency(sizes[i - 1], sizes[i], older!.RootHash, newer!.RootHash, consistency.Hashes));
            }
        }
    }
}
