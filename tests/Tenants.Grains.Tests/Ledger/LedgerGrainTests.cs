using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Tenants.Abstractions.Audit;
using Tenants.Grains.Ledger;
using Tenants.Abstractions.Ledger;
using Tenants.Ledger.Verification;
using Tenants.Testing;

namespace Tenants.Grains.Tests.Ledger;

public sealed class LedgerGrainTests(LedgerGrainFixture fixture) : IClassFixture<LedgerGrainFixture>
{
    private static AuditEvent Statement(string tenant, string sql) => new()
    {
        EventId = Ulid.New(DateTimeOffset.UtcNow),
        Kind = AuditEventKind.Statement,
        Time = DateTimeOffset.UtcNow,
        TenantId = tenant,
        EndpointId = "ep",
        SessionId = "s1",
        Sql = sql,
    };

    private static string NewTenant() => "t-" + Guid.NewGuid().ToString("N")[..12];

    private ILedgerGrain Grain(string tenant) => fixture.Cluster.Client.GetGrain<ILedgerGrain>(tenant);

    private Task<LedgerVerificationReport> VerifyAsync(string tenant) =>
        new LedgerVerifier(fixture.Store, [fixture.Signer.PublicKey]).VerifyAsync(tenant, $"grains.test/ledger/{tenant}");

    [Fact]
    public async Task Append_TenEvents_SealsBlocksOfFourAndSignsAVerifiableCheckpoint()
    {
        var tenant = NewTenant();
        var events = Enumerable.Range(0, 10).Select(i => Statement(tenant, $"select {i}")).ToList();

        var result = await Grain(tenant).AppendAsync(events);
        var status = await Grain(tenant).CheckpointAsync();

        Assert.Equal(new LedgerAppendResult(0, 10, 0), result);
        Assert.Equal(10, status.CheckpointSize);
        Assert.Equal(
            ["blocks/00000000000000000000-00000000000000000003.jsonl.gz", "blocks/00000000000000000004-00000000000000000007.jsonl.gz", "blocks/00000000000000000008-00000000000000000009.jsonl.gz"],
            fixture.Store.Paths(tenant).Where(p => p.StartsWith("blocks/", StringComparison.Ordinal)));
        var report = await VerifyAsync(tenant);
        Assert.True(report.IsValid, string.Join('\n', report.Lines));
        Assert.Equal(10, report.TreeSize);
    }

    [Fact]
    public async Task Append_SameEventTwice_IsStoredOnce()
    {
        var tenant = NewTenant();
        var e = Statement(tenant, "select 1");

        await Grain(tenant).AppendAsync([e]);
        var retry = await Grain(tenant).AppendAsync([e, Statement(tenant, "select 2")]);

        Assert.Equal(new LedgerAppendResult(1, 1, 1), retry);
        Assert.Equal(2, (await Grain(tenant).CheckpointAsync()).CheckpointSize);
    }

    [Fact]
    public async Task Append_EventOfAnotherTenant_IsRejected()
    {
        var tenant = NewTenant();

        await Assert.ThrowsAsync<ArgumentException>(() => Grain(tenant).AppendAsync([Statement(NewTenant(), "select 1")]));
        Assert.Equal(0, (await Grain(tenant).GetStatusAsync()).Size);
    }

    [Fact]
    public async Task Append_FewEvents_AreSealedAndSignedOnTheTimerWithoutAnyCall()
    {
        var tenant = NewTenant();
        await Grain(tenant).AppendAsync([Statement(tenant, "select 1")]);

        var status = await Eventually.MatchAsync(
            () => Grain(tenant).GetStatusAsync(), s => s.CheckpointSize >= 1, TimeSpan.FromSeconds(10), s => $"no checkpoint was signed: {s}");

        Assert.Equal(1, status.CheckpointSize);
        Assert.True((await VerifyAsync(tenant)).IsValid);
    }

    [Fact]
    public async Task Activation_AfterGrainStateIsLost_RecoversTheTreeFromBlobs()
    {
        var tenant = NewTenant();
        await Grain(tenant).AppendAsync(Enumerable.Range(0, 6).Select(i => Statement(tenant, $"select {i}")).ToList());
        await Grain(tenant).CheckpointAsync();

        // Lose the grain state (as if its database were restored from an old backup): the blobs are the truth.
        await fixture.Cluster.DeactivateAsync(Grain(tenant));
        var storage = fixture.Cluster.GetSiloServiceProvider().GetRequiredKeyedService<IGrainStorage>("ledger");
        var state = new GrainState<LedgerState>();
        await storage.ReadStateAsync("ledger", Grain(tenant).GetGrainId(), state);
        Assert.Equal(6, state.State!.SealedSize);
        await storage.ClearStateAsync("ledger", Grain(tenant).GetGrainId(), state);

        await Grain(tenant).AppendAsync([Statement(tenant, "select after recovery")]);
        var status = await Grain(tenant).CheckpointAsync();

        Assert.Equal(7, status.CheckpointSize);
        var report = await VerifyAsync(tenant);
        Assert.True(report.IsValid, string.Join('\n', report.Lines));
    }
}
