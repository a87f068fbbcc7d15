using Npgsql;
using Tenants.Infrastructure.Index;
using Tenants.Infrastructure.Postgres;
using Tenants.Ledger.Index;
using Tenants.Testing;

namespace Tenants.Infrastructure.Tests.Index;

public sealed class PostgresLedgerIndexTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private static readonly DateTimeOffset _t0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private NpgsqlDataSource _dataSource = null!;
    private PostgresLedgerIndex _index = null!;

    public async Task InitializeAsync()
    {
        _dataSource = NpgsqlDataSource.Create(await postgres.CreateUniqueDatabaseAsync("index"));
        await new PostgresMigrator().ApplyAsync(_dataSource);
        _index = new PostgresLedgerIndex(_dataSource);
    }

    public async Task DisposeAsync() => await _dataSource.DisposeAsync();

    [Fact]
    public async Task AddAsync_SameBlockTwice_KeepsOneRowPerLeafAndTheCursor()
    {
        var rows = Rows("tenant-a", 0, 4);

        Assert.Equal(4, await _index.AddAsync("tenant-a", rows, 0, 4));
        Assert.Equal(4, await _index.AddAsync("tenant-a", rows, 0, 4));

        var page = await _index.SearchAsync("tenant-a", new LedgerIndexQuery { Limit = 100 });
        Assert.Equal([3L, 2, 1, 0], page.Entries.Select(e => e.LeafIndex));
        Assert.Equal(4, page.IndexedSize);
    }

    [Fact]
    public async Task AddAsync_BlockAfterAGap_StoresRowsButTheCursorStaysBeforeTheGap()
    {
        await _index.AddAsync("tenant-a", Rows("tenant-a", 0, 4), 0, 4);

        Assert.Equal(4, await _index.AddAsync("tenant-a", Rows("tenant-a", 8, 4), 8, 12));
        Assert.Equal(8, await _index.AddAsync("tenant-a", Rows("tenant-a", 4, 4), 4, 8));
        Assert.Equal(12, await _index.AddAsync("tenant-a", Rows("tenant-a", 8, 4), 8, 12));
        Assert.Equal(12, await _index.GetIndexedSizeAsync("tenant-a"));
    }

    [Fact]
    public async Task AddAsync_FirstBlockNotAtZero_LeavesTheCursorAtZero()
    {
        Assert.Equal(0, await _index.AddAsync("tenant-a", Rows("tenant-a", 4, 4), 4, 8));
        Assert.Equal(0, await _index.GetIndexedSizeAsync("tenant-a"));
    }

    [Fact]
    public async Task SearchAsync_EachFilter_FindsOnlyItsRows()
    {
        await _index.AddAsync("tenant-a", Rows("tenant-a", 0, 10), 0, 10);

        async Task<long[]> Leaves(LedgerIndexQuery q) => [.. (await _index.SearchAsync("tenant-a", q)).Entries.Select(e => e.LeafIndex)];

        Assert.Equal(new long[] { 9, 7, 5, 3, 1 }, await Leaves(new() { SessionId = "session-1" }));
        Assert.Equal(new long[] { 4 }, await Leaves(new() { SqlState = "23505" }));
        Assert.Equal(new long[] { 9, 8, 7 }, await Leaves(new() { MinDurationMicros = 7000 }));
        Assert.Equal(new long[] { 9, 8 }, await Leaves(new() { MinRows = 8 }));
        Assert.Equal(new long[] { 3 }, await Leaves(new() { From = _t0.AddSeconds(3), To = _t0.AddSeconds(4) }));
        Assert.Equal(new long[] { 6 }, await Leaves(new() { Text = "customers" }));
        Assert.Equal(new long[] { 6 }, await Leaves(new() { Text = "\"from customers\"" }));
        Assert.Equal(new long[] { 2 }, await Leaves(new() { ClientAddress = "10.0.0.2" }));
        Assert.Equal(new long[] { 2 }, await Leaves(new() { ClientAddress = "10.0.0.2:5002" }));
        Assert.Equal(new long[] { 5 }, await Leaves(new() { DatabaseUser = "user-5" }));
        Assert.Equal(new long[] { 9, 8, 7, 6, 5, 4, 3, 2, 1, 0 }, await Leaves(new() { Fingerprint = "00000000000000aa" }));
        Assert.Equal(new long[] { 4, 3 }, await Leaves(new() { Before = 5, Limit = 2 }));
        Assert.Equal(new long[] { 5, 7 }, await Leaves(new() { SessionId = "session-1", After = 3, OldestFirst = true, Limit = 2 }));
    }

    [Theory]
    [InlineData("'")]
    [InlineData("\"unbalanced")]
    [InlineData("a & | ! (b")]
    [InlineData("'; DROP TABLE ledger_index_events; --")]
    [InlineData("!!! ::: <-> *")]
    [InlineData("")]
    public async Task SearchAsync_HostileText_MatchesNothingAndDoesNotFail(string text)
    {
        await _index.AddAsync("tenant-a", Rows("tenant-a", 0, 3), 0, 3);

        var page = await _index.SearchAsync("tenant-a", new LedgerIndexQuery { Text = text });

        Assert.Empty(page.Entries);
        Assert.Equal(3, (await _index.SearchAsync("tenant-a", new LedgerIndexQuery())).Entries.Count);
    }

    [Fact]
    public async Task Isolation_ReaderRole_SeesOnlyTheTenantSetAndNothingWithoutOne()
    {
        await _index.AddAsync("tenant-a", Rows("tenant-a", 0, 5), 0, 5);
        await _index.AddAsync("tenant-b", Rows("tenant-b", 0, 3), 0, 3);

        // The application's bug: no WHERE clause at all.
        Assert.Equal(["tenant-b"], await TenantsVisibleAsync(PostgresLedgerIndex.ReaderRole, "tenant-b", "SELECT tenant_id FROM ledger_index_events"));
        Assert.Equal(["tenant-b"], await TenantsVisibleAsync(PostgresLedgerIndex.ReaderRole, "tenant-b", "SELECT tenant_id FROM ledger_index_cursors"));
        Assert.Empty(await TenantsVisibleAsync(PostgresLedgerIndex.ReaderRole, "tenant-b", "SELECT tenant_id FROM ledger_index_events WHERE tenant_id = 'tenant-a'"));
        Assert.Empty(await TenantsVisibleAsync(PostgresLedgerIndex.ReaderRole, tenant: null, "SELECT tenant_id FROM ledger_index_events"));
        Assert.Empty(await TenantsVisibleAsync(PostgresLedgerIndex.ReaderRole, tenant: null, "SELECT tenant_id FROM ledger_index_cursors"));
        Assert.Empty(await TenantsVisibleAsync(PostgresLedgerIndex.WriterRole, tenant: null, "SELECT tenant_id FROM ledger_index_events"));
        Assert.All((await _index.SearchAsync("tenant-b", new LedgerIndexQuery())).Entries, e => Assert.Contains("\"tenant-b\"", e.Entry, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Isolation_WriterRole_CannotWriteAnotherTenantsRows()
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await Execute(connection, transaction, "SET LOCAL ROLE tenants_index_writer; SELECT set_config('app.tenant_id', 'tenant-b', true)");

        var error = await Assert.ThrowsAsync<PostgresException>(() => Execute(connection, transaction,
            "INSERT INTO ledger_index_events (tenant_id, leaf_index, event_id, kind, time, endpoint_id, session_id, entry) "
            + "VALUES ('tenant-a', 0, 'e', 'statement', now(), 'ep', 's', '{}')"));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
    }

    [Fact]
    public async Task Isolation_ReaderRole_CannotWrite()
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await Execute(connection, transaction, "SET LOCAL ROLE tenants_index_reader; SELECT set_config('app.tenant_id', 'tenant-a', true)");

        var error = await Assert.ThrowsAsync<PostgresException>(() => Execute(connection, transaction, "DELETE FROM ledger_index_events"));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
    }

    [Fact]
    public async Task ClearAsync_RemovesOnlyThatTenant()
    {
        await _index.AddAsync("tenant-a", Rows("tenant-a", 0, 5), 0, 5);
        await _index.AddAsync("tenant-b", Rows("tenant-b", 0, 3), 0, 3);

        await _index.ClearAsync("tenant-a");

        Assert.Empty((await _index.SearchAsync("tenant-a", new LedgerIndexQuery())).Entries);
        Assert.Equal(0, await _index.GetIndexedSizeAsync("tenant-a"));
        Assert.Equal(3, (await _index.SearchAsync("tenant-b", new LedgerIndexQuery())).Entries.Count);
        Assert.Equal(["tenant-b"], await _index.ListTenantsAsync());
    }

    private async Task<List<string>> TenantsVisibleAsync(string role, string? tenant, string sql)
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await Execute(connection, transaction, $"SET LOCAL ROLE {role}");
        if (tenant is not null)
        {
            await Execute(connection, transaction, $"SELECT set_config('app.tenant_id', '{tenant}', true)");
        }

        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await using var reader = await command.ExecuteReaderAsync();
        var tenants = new List<string>();
        while (await reader.ReadAsync())
        {
            tenants.Add(reader.GetString(0));
        }

        return [.. tenants.Distinct()];
    }

    private static async Task Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync();
    }

    private static List<LedgerIndexRow> Rows(string tenant, long first, int count) =>
        [.. Enumerable.Range(0, count).Select(i => first + i).Select(leaf => new LedgerIndexRow
        {
            LeafIndex = leaf,
            EventId = $"{tenant}-event-{leaf}",
            Kind = "statement",
            Time = _t0.AddSeconds(leaf),
            EndpointId = "endpoint-1",
            SessionId = $"session-{leaf % 2}",
            DatabaseUser = $"user-{leaf}",
            Database = "app",
            ClientAddress = $"10.0.0.{leaf}:500{leaf}",
            ClientHost = $"10.0.0.{leaf}",
            StatementClass = "read",
            Rows = leaf,
            SqlState = leaf == 4 ? "23505" : null,
            DurationMicros = leaf * 1000,
            Sql = leaf == 6 ? "select * from customers where id = 6" : $"select {leaf} from orders",
            Fingerprint = "00000000000000aa",
            Entry = $$"""{"tenant":"{{tenant}}","leaf":{{leaf}}}""",
        })];
}
