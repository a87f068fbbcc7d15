using Npgsql;
using Tenants.Infrastructure.Index;
using Tenants.Infrastructure.Postgres;
using Tenants.Ledger.Index;
using Tenants.Ledger.Storage;
using Tenants.Testing;

namespace Tenants.Infrastructure.Tests.Index;

/// <summary>Sessions, sorting, facets, histograms, lookup and streaming over the real PostgreSQL index.</summary>
public sealed class PostgresLedgerIndexExploreTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private static readonly DateTimeOffset _t0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private NpgsqlDataSource _dataSource = null!;
    private PostgresLedgerIndex _index = null!;

    public async Task InitializeAsync()
    {
        _dataSource = NpgsqlDataSource.Create(await postgres.CreateUniqueDatabaseAsync("explore"));
        await new PostgresMigrator().ApplyAsync(_dataSource);
        _index = new PostgresLedgerIndex(_dataSource);
    }

    public async Task DisposeAsync() => await _dataSource.DisposeAsync();

    [Fact]
    public async Task Sessions_FoldedFromTheRows_HaveTagsCountsLoginAndEnd()
    {
        await _index.AddAsync("tenant-a", Session("tenant-a", "s-ok", 0, "alice", login: "login_succeeded", end: true), 0, 6);
        await _index.AddAsync("tenant-a", Session("tenant-a", "s-open", 6, "bob", login: "login_succeeded", end: false), 6, 11);
        await _index.AddAsync("tenant-a", Session("tenant-a", "s-bad", 11, "carol", login: "login_failed", end: true), 11, 17);

        var all = (await _index.SearchSessionsAsync("tenant-a", new LedgerIndexSessionQuery())).Sessions;

        Assert.Equal(["s-bad", "s-open", "s-ok"], all.Select(s => s.SessionId));
        var ok = all.Single(s => s.SessionId == "s-ok");
        Assert.Equal(("alice", "app", "endpoint-1", "10.0.0.1:5000", "psql"), (ok.DatabaseUser, ok.Database, ok.EndpointId, ok.ClientAddress, ok.ApplicationName));
        Assert.Equal((0L, 5L, 6L, 3L, 1L, 30L), (ok.FirstLeaf, ok.LastLeaf, ok.Entries, ok.Statements, ok.Errors, ok.Rows));
        Assert.Equal(("succeeded", "session_ended"), (ok.Login, ok.Ended));
        Assert.Equal(_t0, ok.FirstTime);
        Assert.Equal(_t0.AddSeconds(5), ok.LastTime);
        Assert.Null(all.Single(s => s.SessionId == "s-open").Ended);
        Assert.Equal("failed", all.Single(s => s.SessionId == "s-bad").Login);
    }

    [Fact]
    public async Task UnsummarizedSessions_EndedOrQuiet_WithoutASummary_OldestFirst_OnlyTheTenantsAndWithinTheLookback()
    {
        var summed = Session("tenant-a", "s-summed", 0, "alice", login: "login_succeeded", end: true);
        summed.Add(summed[^1] with { LeafIndex = 6, EventId = "tenant-a-event-6", Kind = "session_summary", Time = _t0.AddSeconds(6) });
        await _index.AddAsync("tenant-a", summed, 0, 7);
        await _index.AddAsync("tenant-a", Session("tenant-a", "s-ended", 7, "bob", login: "login_succeeded", end: true), 7, 13);
        await _index.AddAsync("tenant-a", Shifted(Session("tenant-a", "s-quiet", 13, "carol", login: "login_succeeded", end: false), TimeSpan.FromHours(-1)), 13, 18);
        await _index.AddAsync("tenant-a", Shifted(Session("tenant-a", "s-busy", 18, "dave", login: "login_succeeded", end: false), TimeSpan.FromHours(1)), 18, 23);
        await _index.AddAsync("tenant-a", Shifted(Session("tenant-a", "s-ancient", 23, "erin", login: "login_succeeded", end: false), TimeSpan.FromDays(-30)), 23, 28);
        await _index.AddAsync("tenant-b", Session("tenant-b", "s-theirs", 0, "mallory", login: "login_succeeded", end: false), 0, 5);

        Task<IReadOnlyList<string>> Unsummarized(string tenant, DateTimeOffset quietBefore, DateTimeOffset endedBefore, int limit = 10) =>
            _index.ListUnsummarizedSessionsAsync(tenant, _t0.AddDays(-7), quietBefore, endedBefore, limit);

        Assert.Equal(["s-quiet", "s-ended"], await Unsummarized("tenant-a", _t0.AddMinutes(30), _t0.AddMinutes(30)));
        Assert.Equal(["s-quiet"], await Unsummarized("tenant-a", _t0.AddMinutes(30), _t0.AddMinutes(30), limit: 1));
        // Just ended: its summary is not overdue yet. Quiet for less than the idle timeout: not yet due either.
        Assert.Equal(["s-quiet"], await Unsummarized("tenant-a", _t0.AddMinutes(30), _t0));
        Assert.Equal(["s-ended"], await Unsummarized("tenant-a", _t0.AddHours(-2), _t0.AddMinutes(30)));
        Assert.Equal(["s-theirs"], await Unsummarized("tenant-b", _t0.AddMinutes(30), _t0.AddMinutes(30)));
    }

    private static List<LedgerIndexRow> Shifted(List<LedgerIndexRow> rows, TimeSpan by) => [.. rows.Select(r => r with { Time = r.Time + by })];

    [Fact]
    public async Task Sessions_IndexedTwiceOrOutOfOrder_CountOnceWithTheFirstTags()
    {
        var rows = Session("tenant-a", "s-1", 0, "alice", login: "login_succeeded", end: true);
        await _index.AddAsync("tenant-a", rows[3..], 3, 6);
        await _index.AddAsync("tenant-a", rows, 0, 6);
        await _index.AddAsync("tenant-a", rows, 0, 6);

        var session = Assert.Single((await _index.SearchSessionsAsync("tenant-a", new LedgerIndexSessionQuery())).Sessions);

        Assert.Equal((6L, 3L, 0L, 5L), (session.Entries, session.Statements, session.FirstLeaf, session.LastLeaf));
        Assert.Equal(("alice", "succeeded", "session_ended"), (session.DatabaseUser, session.Login, session.Ended));
    }

    [Fact]
    public async Task Sessions_EachFilterAndPaging_FindOnlyTheirs()
    {
        await _index.AddAsync("tenant-a", Session("tenant-a", "s-ok", 0, "alice", login: "login_succeeded", end: true), 0, 6);
        await _index.AddAsync("tenant-a", Session("tenant-a", "s-open", 6, "bob", login: "login_succeeded", end: false), 6, 11);
        await _index.AddAsync("tenant-a", Session("tenant-a", "s-bad", 11, "carol", login: "login_failed", end: true), 11, 17);
        await _index.AddAsync("tenant-b", Session("tenant-b", "s-other", 0, "alice", login: "login_succeeded", end: true), 0, 6);

        async Task<string[]> Ids(LedgerIndexSessionQuery q) => [.. (await _index.SearchSessionsAsync("tenant-a", q)).Sessions.Select(s => s.SessionId)];

        Assert.Equal(["s-ok"], await Ids(new() { DatabaseUser = "alice" }));
        Assert.Equal(["s-open"], await Ids(new() { Ended = false }));
        Assert.Equal(["s-bad", "s-ok"], await Ids(new() { Ended = true }));
        Assert.Equal(["s-bad"], await Ids(new() { Login = "failed" }));
        Assert.Equal(["s-open"], await Ids(new() { ClientAddress = "10.0.0.7" }));
        Assert.Equal(["s-open", "s-ok"], await Ids(new() { From = _t0, To = _t0.AddSeconds(11) }));
        Assert.Equal(["s-ok"], await Ids(new() { Before = 6 }));
        Assert.Equal(["s-bad"], await Ids(new() { Limit = 1 }));
        Assert.Empty(await Ids(new() { EndpointId = "' OR 1=1 --" }));
        Assert.Equal(["s-other"], (await _index.SearchSessionsAsync("tenant-b", new LedgerIndexSessionQuery())).Sessions.Select(s => s.SessionId));
    }

    [Fact]
    public async Task Sessions_Clear_RemovesOnlyThatTenants()
    {
        await _index.AddAsync("tenant-a", Session("tenant-a", "s-a", 0, "alice", login: "login_succeeded", end: true), 0, 6);
        await _index.AddAsync("tenant-b", Session("tenant-b", "s-b", 0, "bob", login: "login_succeeded", end: true), 0, 6);

        await _index.ClearAsync("tenant-a");

        Assert.Empty((await _index.SearchSessionsAsync("tenant-a", new LedgerIndexSessionQuery())).Sessions);
        Assert.Single((await _index.SearchSessionsAsync("tenant-b", new LedgerIndexSessionQuery())).Sessions);
    }

    [Fact]
    public async Task Search_SortedByDurationAndRows_PagesWithTheValueCursor()
    {
        await _index.AddAsync("tenant-a", Session("tenant-a", "s-1", 0, "alice", login: "login_succeeded", end: true), 0, 6);

        async Task<long[]> Leaves(LedgerIndexQuery q) => [.. (await _index.SearchAsync("tenant-a", q)).Entries.Select(e => e.LeafIndex)];

        // Statements are leaves 2, 3, 4 with durations 3000, 2000, 1000 and rows 10 each.
        Assert.Equal(new long[] { 2, 3, 4 }, await Leaves(new() { Sort = LedgerIndexSort.DurationDescending }));
        Assert.Equal(new long[] { 4, 3, 2 }, await Leaves(new() { Sort = LedgerIndexSort.DurationAscending }));
        Assert.Equal(new long[] { 3, 4 }, await Leaves(new() { Sort = LedgerIndexSort.DurationDescending, CursorValue = 3000, CursorLeaf = 2, Limit = 5 }));
        Assert.Equal(new long[] { 4, 3, 2 }, await Leaves(new() { Sort = LedgerIndexSort.RowsDescending, CursorValue = 10, CursorLeaf = 5 }));
        Assert.Equal(new long[] { 2, 3, 4 }, await Leaves(new() { Sort = LedgerIndexSort.RowsAscending }));
        Assert.Equal(new long[] { 0, 1, 2 }, await Leaves(new() { Sort = LedgerIndexSort.TimeAscending, Limit = 3 }));
        Assert.Equal(new long[] { 3 }, await Leaves(new() { MinDurationMicros = 1500, MaxDurationMicros = 2500 }));
        Assert.Equal(new long[] { 4, 3, 2 }, await Leaves(new() { MinRows = 10, MaxRows = 10 }));
        Assert.Equal(new long[] { 4, 3, 2 }, await Leaves(new() { CommandTag = "SELECT" }));
        Assert.Equal(3000, (await _index.SearchAsync("tenant-a", new() { Sort = LedgerIndexSort.DurationDescending, Limit = 1 })).Entries[0].SortValue);
    }

    [Fact]
    public async Task Facets_CountTheMatchingRowsPerValue_OnlyTheTenants()
    {
        await _index.AddAsync("tenant-a", Session("tenant-a", "s-1", 0, "alice", login: "login_succeeded", end: true), 0, 6);
        await _index.AddAsync("tenant-a", Session("tenant-a", "s-2", 6, "bob", login: "login_succeeded", end: false), 6, 11);
        await _index.AddAsync("tenant-b", Session("tenant-b", "s-3", 0, "mallory", login: "login_failed", end: true), 0, 6);

        var facets = await _index.CountFacetsAsync("tenant-a", new LedgerIndexQuery(), Enum.GetValues<LedgerIndexFacetField>(), top: 10);
        var statements = await _index.CountFacetsAsync("tenant-a", new LedgerIndexQuery { Kind = "statement" }, [LedgerIndexFacetField.DatabaseUser], top: 1);

        Assert.Equal(11, facets.Total);
        Assert.Equal([("statement", 6L), ("connection_accepted", 2L), ("login_succeeded", 2L), ("session_ended", 1L)],
            facets.Fields[LedgerIndexFacetField.Kind].Select(v => (v.Value, v.Count)));
        Assert.Equal([("alice", 6L), ("bob", 5L)], facets.Fields[LedgerIndexFacetField.DatabaseUser].Select(v => (v.Value, v.Count)));
        Assert.Equal([("22012", 2L)], facets.Fields[LedgerIndexFacetField.SqlState].Select(v => (v.Value, v.Count)));
        Assert.Equal([("SELECT", 6L)], facets.Fields[LedgerIndexFacetField.CommandTag].Select(v => (v.Value, v.Count)));
        Assert.Empty(facets.Fields[LedgerIndexFacetField.Person]);
        Assert.Equal(6, statements.Total);
        Assert.Equal([("alice", 3L)], statements.Fields[LedgerIndexFacetField.DatabaseUser].Select(v => (v.Value, v.Count)));
    }

    [Fact]
    public async Task Histogram_CountsPerBucketWithEmptyBuckets_AndTheTimeRange()
    {
        await _index.AddAsync("tenant-a", Session("tenant-a", "s-1", 0, "alice", login: "login_succeeded", end: true), 0, 6);
        await _index.AddAsync("tenant-b", Session("tenant-b", "s-2", 0, "bob", login: "login_succeeded", end: true), 0, 6);

        var buckets = await _index.CountByTimeAsync("tenant-a", new LedgerIndexQuery(), _t0, _t0.AddSeconds(8), TimeSpan.FromSeconds(2));
        var statements = await _index.CountByTimeAsync("tenant-a", new LedgerIndexQuery { Kind = "statement" }, _t0, _t0.AddSeconds(8), TimeSpan.FromSeconds(4));
        var range = await _index.GetTimeRangeAsync("tenant-a", new LedgerIndexQuery { Kind = "statement" });

        Assert.Equal([(_t0, 2L), (_t0.AddSeconds(2), 2L), (_t0.AddSeconds(4), 2L), (_t0.AddSeconds(6), 0L)], buckets.Select(b => (b.Start, b.Count)));
        Assert.Equal([2L, 1L], statements.Select(b => b.Count));
        Assert.Equal(new LedgerIndexTimeRange(_t0.AddSeconds(2), _t0.AddSeconds(4)), range);
        Assert.Null(await _index.GetTimeRangeAsync("tenant-a", new LedgerIndexQuery { Kind = "nothing" }));
    }

    [Fact]
    public async Task Find_ByEventIdOrLeaf_GivesTheEntryAndItsBlock_OnlyForItsTenant()
    {
        await _index.AddAsync("tenant-a", Session("tenant-a", "s-1", 0, "alice", login: "login_succeeded", end: true), 0, 6);
        await _index.AddAsync("tenant-b", Session("tenant-b", "s-2", 0, "bob", login: "login_succeeded", end: true), 0, 6);

        var byId = await _index.FindAsync("tenant-a", "tenant-a-event-3", null);
        var byLeaf = await _index.FindAsync("tenant-a", null, 3);

        Assert.Equal(3, byId!.LeafIndex);
        Assert.Equal(new LedgerBlockName(0, 5), byId.Block);
        Assert.Equal(byId with { SortValue = null }, byLeaf! with { SortValue = null });
        Assert.Null(await _index.FindAsync("tenant-b", "tenant-a-event-3", null));
        Assert.Null(await _index.FindAsync("tenant-a", null, 99));
    }

    [Fact]
    public async Task Stream_GivesEveryMatchInOrder_BeyondTheLimit()
    {
        await _index.AddAsync("tenant-a", Session("tenant-a", "s-1", 0, "alice", login: "login_succeeded", end: true), 0, 6);

        var leaves = new List<long>();
        await foreach (var entry in _index.StreamAsync("tenant-a", new LedgerIndexQuery { Limit = 1, Sort = LedgerIndexSort.TimeAscending }))
        {
            leaves.Add(entry.LeafIndex);
        }

        Assert.Equal([0L, 1, 2, 3, 4, 5], leaves);
    }

    /// <summary>
    /// A session: connection_accepted, login, three statements (the last fails with 22012), and session_ended when
    /// <paramref name="end"/>; leaves from <paramref name="first"/>, one second apart, all in one block.
    /// </summary>
    private static List<LedgerIndexRow> Session(string tenant, string session, long first, string user, string login, bool end)
    {
        var kinds = new List<string> { "connection_accepted", login, "statement", "statement", "statement" };
        if (end)
        {
            kinds.Add("session_ended");
        }

        var block = new LedgerBlockName(first, first + kinds.Count - 1);
        return [.. kinds.Select((kind, i) => new LedgerIndexRow
        {
            LeafIndex = first + i,
            EventId = $"{tenant}-event-{first + i}",
            Kind = kind,
            Time = _t0.AddSeconds(first + i),
            EndpointId = "endpoint-1",
            SessionId = session,
            DatabaseUser = user,
            Database = "app",
            ClientAddress = $"10.0.0.{first + 1}:5000",
            ClientHost = $"10.0.0.{first + 1}",
            ApplicationName = "psql",
            StatementClass = kind == "statement" ? "read" : null,
            CommandTag = kind == "statement" ? "SELECT" : null,
            Rows = kind == "statement" ? 10 : null,
            SqlState = kind == "statement" && i == 4 ? "22012" : null,
            DurationMicros = kind == "statement" ? (5 - i) * 1000 : null,
            Sql = kind == "statement" ? $"select {i}" : null,
            Entry = $$"""{"tenant":"{{tenant}}","leaf":{{first + i}}}""",
            Block = block,
        })];
    }
}
