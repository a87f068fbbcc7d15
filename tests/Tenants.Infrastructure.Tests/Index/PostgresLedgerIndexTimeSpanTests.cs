using Npgsql;
using Tenants.Infrastructure.Index;
using Tenants.Infrastructure.Postgres;
using Tenants.Ledger.Index;
using Tenants.Testing;

namespace Tenants.Infrastructure.Tests.Index;

/// <summary>
/// Time-range searches are bounded by the leaf span of the range's minutes (migration 0007). The span must never lose
/// an event: these tests put entries out of time order across minute boundaries and compare every kind of range with
/// what a plain filter over the rows gives.
/// </summary>
public sealed class PostgresLedgerIndexTimeSpanTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private static readonly DateTimeOffset _t0 = new(2026, 3, 1, 11, 58, 30, TimeSpan.Zero);
    private NpgsqlDataSource _dataSource = null!;
    private PostgresLedgerIndex _index = null!;

    public async Task InitializeAsync()
    {
        _dataSource = NpgsqlDataSource.Create(await postgres.CreateUniqueDatabaseAsync("timespan"));
        await new PostgresMigrator().ApplyAsync(_dataSource);
        _index = new PostgresLedgerIndex(_dataSource);
    }

    public async Task DisposeAsync() => await _dataSource.DisposeAsync();

    public static TheoryData<int, int> Ranges => new()
    {
        { 0, 300 },     // everything
        { 45, 46 },     // one second
        { 29, 31 },     // across a minute boundary
        { 90, 150 },    // exactly one minute, not aligned
        { 150, 210 },   // aligned to the minute
        { 200, 400 },   // past the end
        { 400, 500 },   // nothing there
        { -100, 5 },    // before the start
    };

    [Theory]
    [MemberData(nameof(Ranges))]
    public async Task TimeRange_EntriesOutOfTimeOrder_SearchFacetsAndHistogramFindExactlyTheRangesRows(int fromSecond, int toSecond)
    {
        var rows = Rows("tenant-a", 300);
        await _index.AddAsync("tenant-a", rows, 0, rows.Count);
        await _index.AddAsync("tenant-b", Rows("tenant-b", 300), 0, 300);
        var from = _t0.AddSeconds(fromSecond);
        var to = _t0.AddSeconds(toSecond);
        var expected = rows.Where(r => r.Time >= from && r.Time < to).Select(r => r.LeafIndex).OrderDescending().ToList();

        var found = (await _index.SearchAsync("tenant-a", new LedgerIndexQuery { From = from, To = to, Limit = 1000 })).Entries;
        var ascending = (await _index.SearchAsync("tenant-a", new LedgerIndexQuery { From = from, To = to, Limit = 1000, Sort = LedgerIndexSort.TimeAscending })).Entries;
        var facets = await _index.CountFacetsAsync("tenant-a", new LedgerIndexQuery { From = from, To = to }, [LedgerIndexFacetField.Kind], 10);
        var histogram = await _index.CountByTimeAsync("tenant-a", new LedgerIndexQuery(), from, to, TimeSpan.FromSeconds(Math.Max(1, (toSecond - fromSecond) / 7)));

        Assert.Equal(expected, found.Select(e => e.LeafIndex));
        Assert.All(found, e => Assert.Contains("\"tenant-a\"", e.Entry, StringComparison.Ordinal));
        Assert.Equal(expected.Order(), ascending.Select(e => e.LeafIndex));
        Assert.Equal(expected.Count, facets.Total);
        Assert.Equal(expected.Count, histogram.Sum(b => b.Count));
    }

    [Fact]
    public async Task TimeRange_OpenEndedAndPaged_FindEveryRowOnce()
    {
        var rows = Rows("tenant-a", 300);
        await _index.AddAsync("tenant-a", rows[..150], 0, 150);
        await _index.AddAsync("tenant-a", rows, 0, rows.Count); // indexed twice: the span and counts do not change
        var from = _t0.AddSeconds(100);

        var pages = new List<long>();
        long? before = null;
        do
        {
            var page = (await _index.SearchAsync("tenant-a", new LedgerIndexQuery { From = from, Limit = 37, Before = before })).Entries;
            pages.AddRange(page.Select(e => e.LeafIndex));
            before = page.Count == 37 ? page[^1].LeafIndex : null;
        }
        while (before is not null);

        Assert.Equal(rows.Where(r => r.Time >= from).Select(r => r.LeafIndex).OrderDescending(), pages);
        var until = (await _index.SearchAsync("tenant-a", new LedgerIndexQuery { To = _t0.AddSeconds(61), Limit = 1000 })).Entries;
        Assert.Equal(rows.Where(r => r.Time < _t0.AddSeconds(61)).Select(r => r.LeafIndex).OrderDescending(), until.Select(e => e.LeafIndex));
    }

    [Fact]
    public async Task Clear_ThenReindex_TheSpansFollowTheNewRows()
    {
        await _index.AddAsync("tenant-a", Rows("tenant-a", 300), 0, 300);
        await _index.ClearAsync("tenant-a");
        var later = Rows("tenant-a", 120, offsetSeconds: 3600);
        await _index.AddAsync("tenant-a", later, 0, later.Count);

        var old = await _index.SearchAsync("tenant-a", new LedgerIndexQuery { From = _t0, To = _t0.AddSeconds(300) });
        var now = await _index.SearchAsync("tenant-a", new LedgerIndexQuery { From = _t0.AddSeconds(3600), To = _t0.AddSeconds(3720), Limit = 1000 });

        Assert.Empty(old.Entries);
        Assert.Equal(later.Where(r => r.Time < _t0.AddSeconds(3720)).Select(r => r.LeafIndex).OrderDescending(), now.Entries.Select(e => e.LeafIndex));
    }

    /// <summary>
    /// One entry a second from <see cref="_t0"/>, except every tenth, which is stamped 70 s later than its place (an
    /// event sequenced early, in another minute); the ledger order is the leaf order.
    /// </summary>
    private static List<LedgerIndexRow> Rows(string tenant, int count, int offsetSeconds = 0) =>
        [.. Enumerable.Range(0, count).Select(i => new LedgerIndexRow
        {
            LeafIndex = i,
            EventId = $"{tenant}-event-{i}",
            Kind = i % 3 == 0 ? "login_succeeded" : "statement",
            Time = _t0.AddSeconds(offsetSeconds + i + (i % 10 == 0 ? 70 : 0)),
            EndpointId = "endpoint-1",
            SessionId = $"session-{i / 10}",
            DatabaseUser = "alice",
            Database = "app",
            Sql = $"select {i}",
            Entry = $$"""{"tenant":"{{tenant}}","leaf":{{i}}}""",
        })];
}
