using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Tenants.Abstractions.Audit;
using Tenants.Abstractions.Ledger;
using Tenants.Abstractions.Sessions;
using Tenants.Grains.Index;
using Tenants.Infrastructure.Index;
using Tenants.Infrastructure.Postgres;
using Tenants.Ledger;
using Tenants.Ledger.Index;
using Tenants.Ledger.Storage;
using Tenants.Testing;

namespace Tenants.Grains.Tests.Index;

public sealed class LedgerIndexerTests(LedgerIndexFixture fixture) : IClassFixture<LedgerIndexFixture>
{
    private static readonly TimeSpan _timeout = TimeSpan.FromSeconds(20);

    private IndexedCluster Indexed => fixture.Indexed;

    [Fact]
    public async Task SealedBlocks_AreIndexed_AndTheIndexMatchesTheLedger()
    {
        var tenant = NewTenant();
        var status = await AppendAndSealAsync(Indexed, tenant, 10);

        await WaitIndexedAsync(Indexed, tenant, status.SealedSize);

        Assert.Equal(10, status.SealedSize);
        Assert.Equal(await LedgerEntriesAsync(tenant), await IndexedEntriesAsync(tenant));
        var reader = Indexed.SiloServices.GetRequiredService<ILedgerIndexReader>();
        var failed = await reader.SearchAsync(tenant, new LedgerIndexQuery { SqlState = "23505" });
        Assert.Equal([9L, 4], failed.Entries.Select(e => e.LeafIndex));
        var sameShape = await reader.SearchAsync(tenant, new LedgerIndexQuery { Fingerprint = failed.Entries[0].Fingerprint });
        Assert.Equal(10, sameShape.Entries.Count);
        Assert.Equal([7L], (await reader.SearchAsync(tenant, new LedgerIndexQuery { Text = "marker_7" })).Entries.Select(e => e.LeafIndex));
    }

    [Fact]
    public async Task Rebuild_AfterIncrementalIndexing_GivesTheSameRows()
    {
        var tenant = NewTenant();
        var status = await AppendAndSealAsync(Indexed, tenant, 14);
        await WaitIndexedAsync(Indexed, tenant, status.SealedSize);
        var incremental = await RowsAsync(Indexed.DataSource, tenant);
        var progress = new List<LedgerIndexProgress>();

        var size = await Indexed.SiloServices.GetRequiredService<LedgerIndexer>().RebuildAsync(tenant, new SyncProgress(progress.Add));

        Assert.Equal(14, size);
        Assert.Equal(14, incremental.Count);
        Assert.Equal(incremental, await RowsAsync(Indexed.DataSource, tenant));
        Assert.Equal(new LedgerIndexProgress(tenant, 14, 14, 4, 4), progress[^1]);
    }

    [Fact]
    public async Task Isolation_TwoTenantsIndexed_TheOtherTenantOrNoTenantSeesNothingOfTheFirst()
    {
        var first = NewTenant();
        var second = NewTenant();
        await WaitIndexedAsync(Indexed, first, (await AppendAndSealAsync(Indexed, first, 5)).SealedSize);
        await WaitIndexedAsync(Indexed, second, (await AppendAndSealAsync(Indexed, second, 3)).SealedSize);

        // A direct query, as the application's role, without any WHERE clause.
        var asSecond = await QueryAsReaderAsync(Indexed.DataSource, second, "SELECT tenant_id, entry FROM ledger_index_events");
        var asNobody = await QueryAsReaderAsync(Indexed.DataSource, tenant: null, "SELECT tenant_id, entry FROM ledger_index_events");

        Assert.Equal(3, asSecond.Count);
        Assert.All(asSecond, row => Assert.Equal(second, row.Tenant));
        Assert.DoesNotContain(asSecond, row => row.Entry.Contains(first, StringComparison.Ordinal));
        Assert.Empty(asNobody);
        var reader = Indexed.SiloServices.GetRequiredService<ILedgerIndexReader>();
        Assert.Empty((await reader.SearchAsync(second, new LedgerIndexQuery { SessionId = $"{first}-session-0" })).Entries);
    }

    [Fact]
    public async Task IndexUnavailable_SealingGoesOn_AndTheIndexCatchesUpWhenItReturns()
    {
        var database = new NpgsqlConnectionStringBuilder(fixture.Postgres.ConnectionString) { Database = $"later_{Guid.NewGuid():N}"[..30] };
        await using var indexed = await IndexedCluster.StartAsync(fixture.Azurite.ConnectionString, database.ConnectionString);
        var tenant = NewTenant();

        var status = await AppendAndSealAsync(indexed, tenant, 6);
        Assert.Equal(6, status.CheckpointSize);

        await fixture.Postgres.CreateDatabaseAsync(database.Database!);
        await using (var migrate = NpgsqlDataSource.Create(database.ConnectionString))
        {
            await new PostgresMigrator().ApplyAsync(migrate);
        }

        await WaitIndexedAsync(indexed, tenant, 6);
        Assert.Equal(await LedgerEntriesAsync(indexed, tenant), await IndexedEntriesAsync(indexed, tenant));
    }

    [Fact]
    public async Task LostIndexTail_AfterADatabaseCrash_IsIndexedAgainFromStorage_AndSessionsCountEachEntryOnce()
    {
        var tenant = NewTenant();
        await WaitIndexedAsync(Indexed, tenant, (await AppendAndSealAsync(Indexed, tenant, 10)).SealedSize);

        // Index transactions commit without waiting for the WAL flush: a crash of PostgreSQL can lose the last ones,
        // rows and cursor together. This is what it leaves: blocks 4-7 and 8-9 gone, while the silo's indexer still
        // believes the cursor is at 10.
        await LoseIndexTailAsync(Indexed.DataSource, tenant, keep: 4);
        Assert.Equal(4, await Indexed.SiloServices.GetRequiredService<ILedgerIndexWriter>().GetIndexedSizeAsync(tenant));

        var grain = Indexed.Cluster.Client.GetGrain<ILedgerGrain>(tenant);
        await grain.AppendAsync([.. Enumerable.Range(10, 4).Select(i => Event(tenant, i))]);
        var status = await grain.CheckpointAsync();

        await WaitIndexedAsync(Indexed, tenant, status.SealedSize);
        Assert.Equal(14, status.SealedSize);
        Assert.Equal(await LedgerEntriesAsync(tenant), await IndexedEntriesAsync(tenant));
        // The lost blocks were fed to the sessions again; they hold each entry once.
        foreach (var session in new[] { 0, 1 })
        {
            var summary = await Indexed.Cluster.Client.GetGrain<ISessionGrain>(SessionGrainKey.For(tenant, $"{tenant}-session-{session}")).GetSummaryAsync();
            Assert.Equal(7, summary!.Totals.Entries);
        }
    }

    [Fact]
    public async Task IndexBlocksAsync_SeveralSealedBlocks_WritesThemInAsFewTransactionsAsTheBatchAllows()
    {
        var tenant = NewTenant();
        await AppendAndSealAsync(Indexed, tenant, 14);
        var blocks = new List<LedgerBlock>();
        await foreach (var name in Indexed.Store.ListBlocksAsync(tenant))
        {
            blocks.Add(await Indexed.Store.ReadBlockAsync(tenant, name));
        }

        // A database of its own, so that the cluster's indexer does not write the same rows meanwhile.
        await using var dataSource = NpgsqlDataSource.Create(await fixture.Postgres.CreateUniqueDatabaseAsync("batch"));
        await new PostgresMigrator().ApplyAsync(dataSource);
        var writer = new CountingIndexWriter(new PostgresLedgerIndex(dataSource));
        var indexer = new LedgerIndexer(
            Indexed.Store,
            writer,
            Options.Create(new LedgerOptions { OriginPrefix = IndexedCluster.OriginPrefix }),
            Options.Create(new LedgerIndexOptions { MaxBatchEntries = 8 }),
            NullLogger<LedgerIndexer>.Instance);

        var cursor = await indexer.IndexBlocksAsync(tenant, blocks);

        Assert.Equal([4, 4, 4, 2], blocks.Select(b => b.Entries.Count));
        Assert.Equal(14, cursor);
        Assert.Equal([8, 6], writer.RowsPerCall);
        var page = await new PostgresLedgerIndex(dataSource).SearchAsync(tenant, new LedgerIndexQuery { Limit = 100, OldestFirst = true });
        Assert.Equal(await LedgerEntriesAsync(tenant), [.. page.Entries.Select(e => (e.LeafIndex, e.Entry))]);
    }

    private static string NewTenant() => "t-" + Guid.NewGuid().ToString("N")[..12];

    private static AuditEvent Event(string tenant, int i) => new()
    {
        EventId = Ulid.New(DateTimeOffset.UtcNow),
        Kind = AuditEventKind.Statement,
        Time = DateTimeOffset.UtcNow,
        TenantId = tenant,
        EndpointId = "ep",
        SessionId = $"{tenant}-session-{i % 2}",
        ClientAddress = "127.0.0.1:5000",
        DatabaseUser = "app",
        Database = "shop",
        StatementClass = "read",
        Sql = $"select * from orders where note = 'marker_{i}'",
        Rows = i,
        SqlState = i % 5 == 4 ? "23505" : null,
        DurationMicros = 100 * i,
    };

    private static async Task<LedgerStatus> AppendAndSealAsync(IndexedCluster indexed, string tenant, int count)
    {
        var grain = indexed.Cluster.Client.GetGrain<ILedgerGrain>(tenant);
        await grain.AppendAsync([.. Enumerable.Range(0, count).Select(i => Event(tenant, i))]);
        return await grain.CheckpointAsync();
    }

    private static Task WaitIndexedAsync(IndexedCluster indexed, string tenant, long size) =>
        Eventually.MatchAsync(
            () => indexed.SiloServices.GetRequiredService<ILedgerIndexWriter>().GetIndexedSizeAsync(tenant),
            indexed => indexed == size,
            _timeout,
            indexedSize => $"{tenant}: {indexedSize} of {size} entries indexed");

    private Task<List<(long, string)>> LedgerEntriesAsync(string tenant) => LedgerEntriesAsync(Indexed, tenant);

    private Task<List<(long, string)>> IndexedEntriesAsync(string tenant) => IndexedEntriesAsync(Indexed, tenant);

    private static async Task<List<(long, string)>> LedgerEntriesAsync(IndexedCluster indexed, string tenant)
    {
        var entries = new List<(long, string)>();
        await foreach (var name in indexed.Store.ListBlocksAsync(tenant))
        {
            var block = await indexed.Store.ReadBlockAsync(tenant, name);
            entries.AddRange(block.Entries.Select((e, i) => (name.FirstIndex + i, Encoding.UTF8.GetString(e.Span))));
        }

        return entries;
    }

    private static async Task<List<(long, string)>> IndexedEntriesAsync(IndexedCluster indexed, string tenant)
    {
        var page = await indexed.SiloServices.GetRequiredService<ILedgerIndexReader>().SearchAsync(tenant, new LedgerIndexQuery { Limit = 1000 });
        return [.. page.Entries.Select(e => (e.LeafIndex, e.Entry)).OrderBy(e => e.LeafIndex)];
    }

    private static async Task<List<string>> RowsAsync(NpgsqlDataSource dataSource, string tenant)
    {
        // Every column, generated ones included, as text (as the table's owner: this is the test's view, not the app's).
        await using var command = dataSource.CreateCommand("SELECT e::text FROM ledger_index_events e WHERE tenant_id = $1 ORDER BY leaf_index");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    private static async Task<List<(string Tenant, string Entry)>> QueryAsReaderAsync(NpgsqlDataSource dataSource, string? tenant, string sql)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var role = new NpgsqlCommand("SET LOCAL ROLE tenants_index_reader", connection, transaction))
        {
            await role.ExecuteNonQueryAsync();
        }

        if (tenant is not null)
        {
            await using var set = new NpgsqlCommand("SELECT set_config('app.tenant_id', $1, true)", connection, transaction);
            set.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant });
            await set.ExecuteNonQueryAsync();
        }

        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, string)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetString(1)));
        }

        return rows;
    }

    private static async Task LoseIndexTailAsync(NpgsqlDataSource dataSource, string tenant, long keep)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("SET LOCAL ROLE tenants_index_writer"),
                new NpgsqlBatchCommand("SELECT set_config('app.tenant_id', $1, true)") { Parameters = { new NpgsqlParameter<string> { TypedValue = tenant } } },
                new NpgsqlBatchCommand("DELETE FROM ledger_index_events WHERE tenant_id = $1 AND leaf_index >= $2")
                {
                    Parameters = { new NpgsqlParameter<string> { TypedValue = tenant }, new NpgsqlParameter<long> { TypedValue = keep } },
                },
                new NpgsqlBatchCommand("UPDATE ledger_index_cursors SET indexed_size = $2 WHERE tenant_id = $1")
                {
                    Parameters = { new NpgsqlParameter<string> { TypedValue = tenant }, new NpgsqlParameter<long> { TypedValue = keep } },
                },
            },
        };
        await batch.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
    }

    /// <summary>The real index, counting the rows of each <see cref="ILedgerIndexWriter.AddAsync"/> (one transaction each).</summary>
    private sealed class CountingIndexWriter(ILedgerIndexWriter inner) : ILedgerIndexWriter
    {
        public List<int> RowsPerCall { get; } = [];

        public Task<long> GetIndexedSizeAsync(string tenantId, CancellationToken cancellationToken = default) =>
            inner.GetIndexedSizeAsync(tenantId, cancellationToken);

        public Task<long> AddAsync(string tenantId, IReadOnlyList<LedgerIndexRow> rows, long fromIndex, long toSize, CancellationToken cancellationToken = default)
        {
            RowsPerCall.Add(rows.Count);
            return inner.AddAsync(tenantId, rows, fromIndex, toSize, cancellationToken);
        }

        public Task ClearAsync(string tenantId, CancellationToken cancellationToken = default) => inner.ClearAsync(tenantId, cancellationToken);

        public Task<IReadOnlyList<string>> ListTenantsAsync(CancellationToken cancellationToken = default) => inner.ListTenantsAsync(cancellationToken);

        public Task<IReadOnlyList<string>> ListUnsummarizedSessionsAsync(
            string tenantId, DateTimeOffset since, DateTimeOffset quietBefore, DateTimeOffset endedBefore, int limit, CancellationToken cancellationToken = default) =>
            inner.ListUnsummarizedSessionsAsync(tenantId, since, quietBefore, endedBefore, limit, cancellationToken);
    }

    /// <summary>Reports on the caller's thread (Progress&lt;T&gt; would post to the thread pool and race the assertions).</summary>
    private sealed class SyncProgress(Action<LedgerIndexProgress> report) : IProgress<LedgerIndexProgress>
    {
        public void Report(LedgerIndexProgress value) => report(value);
    }
}
