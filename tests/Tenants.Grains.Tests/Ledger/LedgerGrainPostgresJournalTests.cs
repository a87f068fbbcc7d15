using Npgsql;
using Tenants.Infrastructure.Journal;
using Tenants.Infrastructure.Postgres;
using Tenants.Ledger.Storage;
using Tenants.Testing;

namespace Tenants.Grains.Tests.Ledger;

/// <summary>The ledger grain's journal contract over <see cref="PostgresLedgerJournal"/> in a real PostgreSQL.</summary>
public sealed class LedgerGrainPostgresJournalTests(PostgresFixture postgres) : LedgerGrainJournalTests, IClassFixture<PostgresFixture>
{
    protected override async Task<ILedgerJournal> CreateJournalAsync()
    {
        var connectionString = await postgres.CreateUniqueDatabaseAsync("journal");
        await using (var dataSource = NpgsqlDataSource.Create(connectionString))
        {
            await new PostgresMigrator().ApplyAsync(dataSource);
        }

        return PostgresLedgerJournal.Create(connectionString);
    }
}
