using Npgsql;
using Tenants.Infrastructure.Index;
using Tenants.Infrastructure.Postgres;
using Tenants.Ledger.Index;
using Tenants.Testing;

namespace Tenants.Infrastructure.Tests.Index;

/// <summary>
/// Facets over ranges of whole hours add up stored per-hour counts (migration 0007) and count the partial hours at the
/// edges from the rows. The answer must be exactly what counting every row gives, and only the tenant's.
/// </summary>
public sealed class PostgresLedgerIndexFacetHoursTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private static readonly DateTimeOffset _t0 = new(2026, 3, 1, 9, 20, 0, TimeSpan.Zero);
    private static readonly string[] Users = ["alice", "bob", "carol"];
    private NpgsqlDataSource _dataSource = null!;
    private PostgresLedgerIndex _index = null!;

    public async Task InitializeAsync()
    {
        _dataSource = NpgsqlDataSource.Create(await postgres.CreateUniqueDatabaseAsync("facethours"));
        await new PostgresMigrator().ApplyAsync(_dataSource);
        _index = new PostgresLedgerIndex(_dataSource);
    }

    public async Task DisposeAsync() => await _dataSource.DisposeAsync();

    public static TheoryData<int, int> Ranges => new()
    {
        { 40, 220 },    // partial hour, two whole hours, partial hour
        { 40, 100 },    // whole hour 10:00-11:00 and edges
        { 0, 400 },     // everything, edges empty of whole-hour rows
        { 100, 160 },   // exactly one hour on the hour
        { 41, 99 },     // inside one hour: no whole hour, counted from the rows
        { 500, 700 },   // after the events
    };

    [Theory]
    [MemberData(nameof(Ranges))]
    public async Task Facets_OverWholeAndPartialHours_EqualCountingEveryRow(int fromMinute, int toMinute)
    {
        var rows = Rows("tenant-a", 400);
        // Indexed in two batches and one of them twice: the stored counts must not double.
        await _index.AddAsync("tenant-a", rows[..150], 0, 150);
        await _index.AddAsync("tenant-a", rows, 0, rows.Count);
        await _index.AddAsync("tenant-a", rows[..150], 0, 150);
        await _index.AddAsync("tenant-b", Rows("tenant-b", 400), 0, 400);
        var from = _t0.AddMinutes(fromMinute);
        var to = _t0.AddMinutes(toMinute);
        var inRange = rows.Where(r => r.Time >= from && r.Time < to).ToList();

        var facets = await _index.CountFacetsAsync("tenant-a", new LedgerIndexQuery { From = from, To = to }, Enum.GetValues<LedgerIndexFacetField>(), top: 100);

        Assert.Equal(inRange.Count, facets.Total);
        Assert.Equal(Expected(inRange, r => r.Kind), Actual(facets, LedgerIndexFacetField.Kind));
        Assert.Equal(Expected(inRange, r => r.DatabaseUser), Actual(facets, LedgerIndexFacetField.DatabaseUser));
        Assert.Equal(Expected(inRange, r => r.SqlState), Actual(facets, LedgerIndexFacetField.SqlState));
        Assert.Equal(Expected(inRange, r => r.EndpointId), Actual(facets, LedgerIndexFacetField.Endpoint));
        Assert.Empty(facets.Fields[LedgerIndexFacetField.Person]);

        // With another filter the rows are counted directly; the two ways agree.
        var statements = await _index.CountFacetsAsync("tenant-a", new LedgerIndexQuery { From = from, To = to, Kind = "statement" }, [LedgerIndexFacetField.DatabaseUser], top: 100);
        Assert.Equal(Expected(inRange.Where(r => r.Kind == "statement").ToList(), r => r.DatabaseUser), Actual(statements, LedgerIndexFacetField.DatabaseUser));
    }

    [Fact]
    public async Task Facets_TopValues_RankedByTheSummedCounts()
    {
        var rows = Rows("tenant-a", 400);
        await _index.AddAsync("tenant-a", rows, 0, rows.Count);
        var from = _t0.AddMinutes(30);
        var to = _t0.AddMinutes(330);

        var top = await _index.CountFacetsAsync("tenant-a", new LedgerIndexQuery { From = from, To = to }, [LedgerIndexFacetField.DatabaseUser], top: 1);

        var expected = Expected(rows.Where(r => r.Time >= from && r.Time < to).ToList(), r => r.DatabaseUser)[0];
        Assert.Equal([expected], Actual(top, LedgerIndexFacetField.DatabaseUser));
    }

    private static List<(string, long)> Expected(List<LedgerIndexRow> rows, Func<LedgerIndexRow, string?> field) =>
        [.. rows.Select(field).OfType<string>().GroupBy(v => v).Select(g => (g.Key, (long)g.Count()))
            .OrderByDescending(p => p.Item2).ThenBy(p => p.Key, StringComparer.Ordinal)];

    private static List<(string, long)> Actual(LedgerIndexFacets facets, LedgerIndexFacetField field) =>
        [.. facets.Fields[field].Select(v => (v.Value, v.Count))];

    /// <summary>One entry a minute from 09:20, with users, kinds and SQLSTATEs in uneven proportions.</summary>
    private static List<LedgerIndexRow> Rows(string tenant, int count) =>
        [.. Enumerable.Range(0, count).Select(i => new LedgerIndexRow
        {
            LeafIndex = i,
            EventId = $"{tenant}-event-{i}",
            Kind = i % 4 == 0 ? "login_succeeded" : "statement",
            Time = _t0.AddMinutes(i).AddSeconds(i % 7),
            EndpointId = i % 5 == 0 ? "endpoint-2" : "endpoint-1",
            SessionId = $"session-{i / 10}",
            DatabaseUser = Users[i * i % 7 % 3],
            Database = "app",
            SqlState = i % 9 == 0 ? "42P01" : i % 13 == 0 ? "23505" : null,
            Sql = $"select {i}",
            Entry = $$"""{"tenant":"{{tenant}}","leaf":{{i}}}""",
        })];
}
