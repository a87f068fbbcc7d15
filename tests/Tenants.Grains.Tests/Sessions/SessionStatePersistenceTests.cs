using Tenants.Abstractions.Audit;
using Tenants.Abstractions.Sessions;
using Tenants.Grains.Tests.Tenancy;
using Tenants.Ledger.Merkle;

namespace Tenants.Grains.Tests.Sessions;

/// <summary>Session grain state in PostgreSQL (the Orleans ADO.NET storage the Host uses), across deactivation.</summary>
public sealed class SessionStatePersistenceTests(TenantGrainFixture fixture) : IClassFixture<TenantGrainFixture>
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task SessionStartingAtLeafZero_FedAgainAfterDeactivation_CountsEachEntryOnce()
    {
        var tenant = fixture.NewId("s");
        var session = fixture.Silo.Client.GetGrain<ISessionGrain>(SessionGrainKey.For(tenant, "01M84N9Q0VY2HEH2DVFHTZT70P"));
        var entries = Enumerable.Range(0, 3).Select(i => Entry(tenant, leaf: i)).ToList();

        await session.FeedAsync(entries);
        var before = await session.GetSummaryAsync();
        await fixture.Silo.Cluster.DeactivateAsync(session);

        // An index rebuild (or a retried block) feeds the same entries again, from leaf 0, to a fresh activation.
        await session.FeedAsync(entries);
        var after = await session.GetSummaryAsync();

        Assert.Equal(3, before!.Totals.Statements);
        Assert.Equal((0L, 2L), (before.Totals.FirstLeaf, before.Totals.LastLeaf));
        Assert.Equivalent(before.Totals, after!.Totals);
    }

    private static SessionFeedEntry Entry(string tenant, long leaf)
    {
        var e = new AuditEvent
        {
            EventId = Ulid.New(Start.AddSeconds(leaf)),
            Kind = AuditEventKind.Statement,
            Time = Start.AddSeconds(leaf),
            TenantId = tenant,
            EndpointId = "db",
            SessionId = "01M84N9Q0VY2HEH2DVFHTZT70P",
            Sql = $"select {leaf}",
            Rows = 1,
        };
        return new SessionFeedEntry(leaf, Rfc6962Hasher.HashLeaf(System.Text.Encoding.UTF8.GetBytes($"entry {leaf}")), e);
    }
}
