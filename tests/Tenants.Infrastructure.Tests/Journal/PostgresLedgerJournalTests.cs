using Npgsql;
using Tenants.Infrastructure.Journal;
using Tenants.Infrastructure.Postgres;
using Tenants.Ledger.Storage;
using Tenants.Testing;
using Tenants.Testing.Ledger;

namespace Tenants.Infrastructure.Tests.Journal;

/// <summary>
/// The journal in a real PostgreSQL: ordered replay, the database as the single-writer fence (a stale or concurrent
/// second writer gets a conflict, never a fork), trimming that keeps the fence, corrupt rows reported, and commits that
/// must be synchronous.
/// </summary>
public sealed class PostgresLedgerJournalTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private const string Tenant = "tenant-1";
    private const string Origin = "tenants.example/ledger/tenant-1";
    private string _connectionString = null!;
    private PostgresLedgerJournal _journal = null!;

    public async Task InitializeAsync()
    {
        _connectionString = await postgres.CreateUniqueDatabaseAsync("journal");
        await using var dataSource = NpgsqlDataSource.Create(_connectionString);
        await new PostgresMigrator().ApplyAsync(dataSource);
        _journal = PostgresLedgerJournal.Create(_connectionString);
    }

    public async Task DisposeAsync() => await _journal.DisposeAsync();

    [Fact]
    public async Task Journal_Batches_ReplayInLeafOrderFromAnyLeaf()
    {
        var leaf = 0L;
        foreach (var size in new[] { 1, 4, 2, 7, 1 })
        {
            await _journal.AppendAsync(Tenant, leaf, Entries(leaf, size));
            leaf += size;
        }

        AssertEntries(0, 15, await _journal.ReadAsync(Tenant, 0).ToListAsync());
        AssertEntries(6, 9, await _journal.ReadAsync(Tenant, 6).ToListAsync());
        Assert.Empty(await _journal.ReadAsync(Tenant, 15).ToListAsync());
        Assert.Empty(await _journal.ReadAsync("tenant-2", 0).ToListAsync());
    }

    [Fact]
    public async Task Append_StaleSecondWriter_IsAConflictAndWritesNothing()
    {
        await using var other = PostgresLedgerJournal.Create(_connectionString);
        await _journal.AppendAsync(Tenant, 0, Entries(0, 5));
        await other.AppendAsync(Tenant, 5, Entries(5, 5));

        // Our writer thinks the journal ends at 5; another wrote 5..9 meanwhile.
        await Assert.ThrowsAsync<LedgerJournalConflictException>(() => _journal.AppendAsync(Tenant, 5, Entries(5, 3)));
        // A writer that lags further (its first leaf inside an existing record) is refused too.
        await Assert.ThrowsAsync<LedgerJournalConflictException>(() => _journal.AppendAsync(Tenant, 3, Entries(3, 1)));

        AssertEntries(0, 10, await _journal.ReadAsync(Tenant, 0).ToListAsync());
    }

    [Fact]
    public async Task Append_TwoWritersAtTheSameLeafAtOnce_ExactlyOneWins()
    {
        await _journal.AppendAsync(Tenant, 0, Entries(0, 2));
        var writers = Enumerable.Range(0, 6).Select(_ => PostgresLedgerJournal.Create(_connectionString)).ToList();
        try
        {
            var results = await Task.WhenAll(writers.Select(async w =>
            {
                try
                {
                    await w.AppendAsync(Tenant, 2, Entries(2, 3));
                    return true;
                }
                catch (LedgerJournalConflictException)
                {
                    return false;
                }
            }));

            Assert.Single(results, won => won);
            AssertEntries(0, 5, await _journal.ReadAsync(Tenant, 0).ToListAsync());
        }
        finally
        {
            foreach (var writer in writers)
            {
                await writer.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Append_AfterAGap_IsRefused()
    {
        await _journal.AppendAsync(Tenant, 100, Entries(100, 2));

        await Assert.ThrowsAsync<InvalidOperationException>(() => _journal.AppendAsync(Tenant, 105, Entries(105, 1)));

        AssertEntries(100, 2, await _journal.ReadAsync(Tenant, 0).ToListAsync());
    }

    [Fact]
    public async Task Trim_DeletesSealedRecordsButKeepsTheLastOne_WhichStillFencesStaleWriters()
    {
        await _journal.AppendAsync(Tenant, 0, Entries(0, 4));
        await _journal.AppendAsync(Tenant, 4, Entries(4, 4));
        await _journal.AppendAsync(Tenant, 8, Entries(8, 4));

        await _journal.TrimAsync(Tenant, 6);
        var afterPartialTrim = await _journal.ReadAsync(Tenant, 0).ToListAsync();
        await _journal.TrimAsync(Tenant, 1_000);
        var afterFullTrim = await _journal.ReadAsync(Tenant, 0).ToListAsync();

        AssertEntries(4, 8, afterPartialTrim);
        AssertEntries(8, 4, afterFullTrim);
        await Assert.ThrowsAsync<LedgerJournalConflictException>(() => _journal.AppendAsync(Tenant, 4, Entries(4, 1)));
        await _journal.AppendAsync(Tenant, 12, Entries(12, 1));
        AssertEntries(8, 5, await _journal.ReadAsync(Tenant, 0).ToListAsync());
    }

    [Fact]
    public async Task Read_AlteredRow_IsReportedNotReplayed()
    {
        await _journal.AppendAsync(Tenant, 0, Entries(0, 3));
        await using (var dataSource = NpgsqlDataSource.Create(_connectionString))
        {
            await using var tamper = dataSource.CreateCommand("UPDATE ledger_journal SET payload = overlay(payload PLACING '\\x58'::bytea FROM 3)");
            await tamper.ExecuteNonQueryAsync();
        }

        var error = await Assert.ThrowsAsync<LedgerJournalFormatException>(async () => await _journal.ReadAsync(Tenant, 0).ToListAsync());

        Assert.Contains("ledger_journal(tenant-1, 0)", error.Message, StringComparison.Ordinal);
        Assert.Contains("digest", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Append_OverADataSourceWithoutSynchronousCommit_IsRefused()
    {
        // The test server runs with synchronous_commit=off; only the journal's own data source turns it on.
        await using var dataSource = NpgsqlDataSource.Create(_connectionString);
        await using var journal = new PostgresLedgerJournal(dataSource);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => journal.AppendAsync(Tenant, 0, Entries(0, 1)));

        Assert.Contains("synchronous_commit", error.Message, StringComparison.Ordinal);
        Assert.Empty(await _journal.ReadAsync(Tenant, 0).ToListAsync());
    }

    [Fact]
    public async Task Migration_CompressesPayloadsWithLz4_WhereTheServerHasIt()
    {
        await using var dataSource = NpgsqlDataSource.Create(_connectionString);
        await using var command = dataSource.CreateCommand("""
            SELECT (SELECT 'lz4' = ANY (enumvals) FROM pg_settings WHERE name = 'default_toast_compression'),
                   (SELECT attcompression::text FROM pg_attribute WHERE attrelid = 'ledger_journal'::regclass AND attname = 'payload')
            """);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();

        Assert.Equal(reader.GetBoolean(0) ? "l" : "", reader.GetString(1));
    }

    private static List<ReadOnlyMemory<byte>> Entries(long first, int count) =>
        [.. Enumerable.Range(0, count).Select(i => (ReadOnlyMemory<byte>)TestLedgerWriter.Entry(Origin, Tenant, first + i))];

    private static void AssertEntries(long first, int count, List<LedgerJournalEntry> read)
    {
        Assert.Equal(Enumerable.Range(0, count).Select(i => first + i), read.Select(e => e.LeafIndex));
        Assert.All(read, e => Assert.Equal(TestLedgerWriter.Entry(Origin, Tenant, e.LeafIndex), e.Entry.ToArray()));
    }
}
