using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Tenants.Infrastructure.Index;
using Tenants.Infrastructure.Postgres;
using Tenants.Ledger.Index;
using Tenants.Testing;

namespace Tenants.Infrastructure.Tests.Postgres;

/// <summary>Migration 0006 on an index that already holds rows: their sessions appear, row-level security stays forced.</summary>
public sealed class SessionsMigrationTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task Migration0006_OverIndexedRows_FoldsTheirSessionsAndKeepsRowLevelSecurityForced()
    {
        var embedded = PostgresMigration.LoadEmbedded(typeof(PostgresMigrator).Assembly);
        await using var dataSource = NpgsqlDataSource.Create(await postgres.CreateUniqueDatabaseAsync("backfill"));
        await new PostgresMigrator([.. embedded.Where(m => m.Version < 6)], NullLogger.Instance).ApplyAsync(dataSource);
        await using (var insert = dataSource.CreateCommand("""
            BEGIN; SET LOCAL ROLE tenants_index_writer; SELECT set_config('app.tenant_id', 'tenant-a', true);
            INSERT INTO ledger_index_events (tenant_id, leaf_index, event_id, kind, time, endpoint_id, session_id, database_user, entry)
            VALUES ('tenant-a', 0, 'e0', 'connection_accepted', '2026-03-01T12:00:00Z', 'ep', 's-1', 'alice', '{}'),
                   ('tenant-a', 1, 'e1', 'login_succeeded', '2026-03-01T12:00:01Z', 'ep', 's-1', 'alice', '{}'),
                   ('tenant-a', 2, 'e2', 'session_ended', '2026-03-01T12:00:02Z', 'ep', 's-1', 'alice', '{}');
            COMMIT;
            """))
        {
            await insert.ExecuteNonQueryAsync();
        }

        await new PostgresMigrator().ApplyAsync(dataSource);
        var index = new PostgresLedgerIndex(dataSource);

        var session = Assert.Single((await index.SearchSessionsAsync("tenant-a", new LedgerIndexSessionQuery())).Sessions);
        Assert.Equal(("s-1", "alice", 3L, "succeeded", "session_ended"), (session.SessionId, session.DatabaseUser, session.Entries, session.Login, session.Ended));
        Assert.Empty((await index.SearchSessionsAsync("tenant-b", new LedgerIndexSessionQuery())).Sessions);
        await using var forced = dataSource.CreateCommand(
            "SELECT count(*) FROM pg_class WHERE relname IN ('ledger_index_events', 'ledger_index_sessions') AND relforcerowsecurity");
        Assert.Equal(2L, await forced.ExecuteScalarAsync());
    }
}
