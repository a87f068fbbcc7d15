using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Tenants.Abstractions.Audit;
using Tenants.Abstractions.Ledger;
using Tenants.Abstractions.Sessions;
using Tenants.Grains.Index;
using Tenants.Grains.Tests.Index;
using Tenants.Ledger.Verification;
using Tenants.Testing;

namespace Tenants.Grains.Tests.Sessions;

/// <summary>
/// Session grains on a real silo, fed by the real indexer from blocks sealed in Azurite, with the PostgreSQL index.
/// </summary>
public sealed class SessionGrainTests(LedgerIndexFixture fixture) : IClassFixture<LedgerIndexFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    private IndexedCluster Indexed => fixture.Indexed;

    [Fact]
    public async Task SessionEnded_AppendsOneSummaryEntry_ThatTheVerifierRecomputes()
    {
        var tenant = NewTenant();
        await AppendAsync(Indexed, tenant, SessionEvents(tenant, "s1", ended: true, statements: 3), SessionEvents(tenant, "s2", ended: false, statements: 2));

        var summary = await WaitSummarySealedAsync(Indexed, tenant, "s1");
        await Indexed.Cluster.Client.GetGrain<ILedgerGrain>(tenant).CheckpointAsync();

        Assert.Equal("session_ended", summary.Ended);
        Assert.Equal("succeeded", summary.LoginOutcome);
        Assert.Equal("alice", summary.DatabaseUser);
        Assert.Equal(3, summary.Totals.Statements);
        Assert.Equal(1, summary.Totals.Errors);
        Assert.Equal(new Dictionary<string, long> { ["42P01"] = 1 }, summary.Totals.SqlStates);
        Assert.Equal(20, summary.Totals.Rows);
        Assert.Equal(4096, summary.Totals.BytesFromServer);
        Assert.Equal(6, summary.Totals.Entries);
        var summaries = await SummaryEntriesAsync(Indexed, tenant);
        var entry = Assert.Single(summaries);
        Assert.Equal(summary.SummaryLeaf, entry.Index);
        Assert.Equal(summary.Totals.Digest, entry.Summary.GetProperty("digest").GetString());
        Assert.Equal(3, entry.Summary.GetProperty("statements").GetInt64());
        var open = await Indexed.Cluster.Client.GetGrain<ISessionGrain>(SessionGrainKey.For(tenant, "s2")).GetSummaryAsync();
        Assert.Null(open!.Ended);
        Assert.False(open.SummaryAppended);

        var report = await new LedgerVerifier(Indexed.Store, [Indexed.Signer.PublicKey]).VerifyAsync(tenant, Origin(tenant));

        Assert.True(report.IsValid, string.Join('\n', report.Lines));
        Assert.Contains("summary\tsessions\t1/1 session summaries valid, 0/1 session summaries INVALID", report.Lines);
    }

    [Fact]
    public async Task FedTwice_ByAnIndexRebuild_CountsOnceAndTheSummaryStaysOne()
    {
        var tenant = NewTenant();
        await AppendAsync(Indexed, tenant, SessionEvents(tenant, "s1", ended: true, statements: 4));
        var before = await WaitSummarySealedAsync(Indexed, tenant, "s1");
        var ledger = Indexed.Cluster.Client.GetGrain<ILedgerGrain>(tenant);
        var sealedSize = (await ledger.CheckpointAsync()).SealedSize;

        // A rebuild feeds every block again; a repeated summary append (a grain that lost its state) is dropped by id.
        await Indexed.SiloServices.GetRequiredService<LedgerIndexer>().RebuildAsync(tenant, progress: null);
        var again = await ledger.AppendAsync([SummaryRepeat(tenant, before)]);
        var after = await Indexed.Cluster.Client.GetGrain<ISessionGrain>(SessionGrainKey.For(tenant, "s1")).GetSummaryAsync();
        var status = await ledger.CheckpointAsync();

        Assert.Equal(1, again.Duplicates);
        Assert.Equal(sealedSize, status.SealedSize);
        Assert.Equivalent(before, after);
        Assert.Single(await SummaryEntriesAsync(Indexed, tenant));
    }

    [Fact]
    public async Task GetSummaryAsync_UnknownSessionOrAnotherTenantsSession_ReturnsNull()
    {
        var tenant = NewTenant();
        await AppendAsync(Indexed, tenant, SessionEvents(tenant, "s1", ended: false, statements: 1));
        await Eventually.TrueAsync(
            async () => await Session(Indexed, tenant, "s1").GetSummaryAsync() is not null, Timeout, "session s1 fed");

        Assert.Null(await Session(Indexed, tenant, "nope").GetSummaryAsync());
        Assert.Null(await Session(Indexed, NewTenant(), "s1").GetSummaryAsync());
    }

    [Fact]
    public async Task IdleSession_WithoutSessionEnd_IsSummedUpAfterTheIdleTimeout()
    {
        await using var indexed = await IndexedCluster.StartAsync(
            fixture.Azurite.ConnectionString, fixture.IndexDatabase, o => o.IdleTimeout = TimeSpan.FromMilliseconds(300));
        var tenant = NewTenant();
        await AppendAsync(indexed, tenant, SessionEvents(tenant, "s1", ended: false, statements: 2));

        var summary = await WaitSummarySealedAsync(indexed, tenant, "s1");

        Assert.Equal("idle_timeout", summary.Ended);
        Assert.Equal(2, summary.Totals.Statements);
        Assert.Single(await SummaryEntriesAsync(indexed, tenant));
    }

    private static string NewTenant() => $"s-{Guid.NewGuid():N}"[..20];

    private static string Origin(string tenant) => $"{IndexedCluster.OriginPrefix}/{tenant}";

    private static ISessionGrain Session(IndexedCluster indexed, string tenant, string session) =>
        indexed.Cluster.Client.GetGrain<ISessionGrain>(SessionGrainKey.For(tenant, session));

    private static async Task AppendAsync(IndexedCluster indexed, string tenant, params List<AuditEvent>[] sessions)
    {
        // Interleave the sessions, as connections of one tenant are.
        var events = new List<AuditEvent>();
        for (var i = 0; i < sessions.Max(s => s.Count); i++)
        {
            events.AddRange(sessions.Where(s => i < s.Count).Select(s => s[i]));
        }

        var ledger = indexed.Cluster.Client.GetGrain<ILedgerGrain>(tenant);
        await ledger.AppendAsync(events);
        await ledger.CheckpointAsync();
    }

    private static Task<SessionSummary> WaitSummarySealedAsync(IndexedCluster indexed, string tenant, string session) =>
        Eventually.MatchAsync(
            async () => await Session(indexed, tenant, session).GetSummaryAsync(),
            s => s?.SummaryLeaf is not null,
            Timeout,
            s => $"{tenant}/{session}: summary not sealed yet (ended {s?.Ended}, appended {s?.SummaryAppended})")!;

    private static List<AuditEvent> SessionEvents(string tenant, string session, bool ended, int statements)
    {
        var n = 0;
        AuditEvent Make(AuditEventKind kind) => new()
        {
            EventId = $"{tenant}-{session}-{n}",
            Kind = kind,
            Time = Start.AddSeconds(n++),
            TenantId = tenant,
            EndpointId = "main",
            SessionId = session,
            ClientAddress = "127.0.0.1:50000",
            DatabaseUser = "alice",
            Database = "shop",
        };

        var events = new List<AuditEvent> { Make(AuditEventKind.ConnectionAccepted), Make(AuditEventKind.LoginSucceeded) };
        for (var i = 0; i < statements; i++)
        {
            events.Add(Make(AuditEventKind.Statement) with
            {
                Sql = $"SELECT * FROM t{i}",
                StatementClass = "read",
                Rows = i == 1 ? null : 10,
                SqlState = i == 1 ? "42P01" : null,
            });
        }

        if (ended)
        {
            events.Add(Make(AuditEventKind.SessionEnded) with { BytesFromClient = 512, BytesFromServer = 4096, Statements = statements });
        }

        return events;
    }

    private static AuditEvent SummaryRepeat(string tenant, SessionSummary summary) => new()
    {
        EventId = summary.SummaryEventId,
        Kind = AuditEventKind.SessionSummary,
        Time = Start,
        TenantId = tenant,
        EndpointId = "main",
        SessionId = summary.SessionId,
        Summary = summary.Totals,
    };

    private static async Task<List<(long Index, JsonElement Summary)>> SummaryEntriesAsync(IndexedCluster indexed, string tenant)
    {
        var found = new List<(long, JsonElement)>();
        await foreach (var name in indexed.Store.ListBlocksAsync(tenant))
        {
            var block = await indexed.Store.ReadBlockAsync(tenant, name);
            for (var i = 0; i < block.Entries.Count; i++)
            {
                using var document = JsonDocument.Parse(Encoding.UTF8.GetString(block.Entries[i].Span));
                if (document.RootElement.GetProperty("kind").GetString() == "session_summary")
                {
                    found.Add((name.FirstIndex + i, document.RootElement.GetProperty("event").GetProperty("summary").Clone()));
                }
            }
        }

        return found;
    }
}
