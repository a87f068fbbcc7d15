using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Tenants.Infrastructure.Postgres;
using Tenants.Testing;

namespace Tenants.Infrastructure.Tests.Postgres;

public sealed class PostgresMigratorTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly IReadOnlyList<PostgresMigration> _embedded = PostgresMigration.LoadEmbedded(typeof(PostgresMigrator).Assembly);

    [Fact]
    public void Embedded_Migrations_AreTheOrleansOnesInOrder()
    {
        Assert.Equal([1, 2, 3], _embedded.Take(3).Select(m => m.Version));
        Assert.Equal(["orleans_main", "orleans_clustering", "orleans_persistence"], _embedded.Take(3).Select(m => m.Name));
    }

    [Fact]
    public async Task ApplyAsync_FreshDatabase_AppliesAllThenNothing()
    {
        await using var dataSource = NpgsqlDataSource.Create(await postgres.CreateUniqueDatabaseAsync("migrate"));
        var migrator = new PostgresMigrator();

        Assert.Equal(_embedded.Count, await migrator.ApplyAsync(dataSource));
        Assert.Equal(0, await migrator.ApplyAsync(dataSource));

        await using var command = dataSource.CreateCommand("SELECT version, name, checksum FROM schema_migrations ORDER BY version");
        await using var reader = await command.ExecuteReaderAsync();
        var recorded = new List<(int, string, string)>();
        while (await reader.ReadAsync())
        {
            recorded.Add((reader.GetInt32(0), reader.GetString(1), reader.GetString(2)));
        }

        Assert.Equal(_embedded.Select(m => (m.Version, m.Name, m.Checksum)), recorded);
    }

    [Fact]
    public async Task ApplyAsync_FreshDatabase_FillsEveryOrleansQueryKey()
    {
        await using var dataSource = NpgsqlDataSource.Create(await postgres.CreateUniqueDatabaseAsync("keys"));
        await new PostgresMigrator().ApplyAsync(dataSource);

        // The exact query the providers run at start-up.
        await using var command = dataSource.CreateCommand("SELECT QueryKey, QueryText FROM OrleansQuery");
        await using var reader = await command.ExecuteReaderAsync();
        var keys = new List<string>();
        while (await reader.ReadAsync())
        {
            keys.Add(reader.GetString(0));
        }

        string[] expected =
        [
            "CleanupDefunctSiloEntriesKey", "DeleteMembershipTableEntriesKey", "GatewaysQueryKey", "InsertMembershipKey",
            "InsertMembershipVersionKey", "MembershipReadAllKey", "MembershipReadRowKey", "UpdateIAmAlivetimeKey", "UpdateMembershipKey",
            "ClearStorageKey", "DeleteStorageKey", "ReadFromStorageKey", "WriteToStorageKey",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ApplyAsync_ConcurrentStarters_ApplyEachMigrationOnce()
    {
        await using var dataSource = NpgsqlDataSource.Create(await postgres.CreateUniqueDatabaseAsync("concurrent"));

        var counts = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => new PostgresMigrator().ApplyAsync(dataSource))));

        Assert.Equal(_embedded.Count, counts.Sum());
    }

    [Fact]
    public async Task ApplyAsync_NewMigrationFile_AppliesOnlyTheNewOne()
    {
        await using var dataSource = NpgsqlDataSource.Create(await postgres.CreateUniqueDatabaseAsync("newfile"));
        await new PostgresMigrator().ApplyAsync(dataSource);
        var later = new PostgresMigration(9999, "later_issue", "CREATE TABLE later_issue (id integer PRIMARY KEY);");

        var applied = await new PostgresMigrator([.. _embedded, later], NullLogger.Instance).ApplyAsync(dataSource);

        Assert.Equal(1, applied);
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM later_issue");
        Assert.Equal(0L, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task ApplyAsync_AppliedMigrationEdited_RefusesWithClearMessage()
    {
        await using var dataSource = NpgsqlDataSource.Create(await postgres.CreateUniqueDatabaseAsync("edited"));
        await new PostgresMigrator().ApplyAsync(dataSource);
        var edited = _embedded.Select(m => m.Version == 2 ? m with { Sql = m.Sql + "\n-- an innocent-looking edit\n" } : m).ToList();
        var later = new PostgresMigration(9999, "later_issue", "CREATE TABLE later_issue (id integer PRIMARY KEY);");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => new PostgresMigrator([.. edited, later], NullLogger.Instance).ApplyAsync(dataSource));

        Assert.Contains("0002_orleans_clustering.sql", error.Message, StringComparison.Ordinal);
        Assert.Contains("changed after it was applied", error.Message, StringComparison.Ordinal);
        await using var command = dataSource.CreateCommand("SELECT to_regclass('later_issue') IS NULL");
        Assert.Equal(true, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task ApplyAsync_FreshDatabase_CreatesTheIndexUnderForcedRowLevelSecurityForNonOwnerRoles()
    {
        await using var dataSource = NpgsqlDataSource.Create(await postgres.CreateUniqueDatabaseAsync("index_schema"));
        await new PostgresMigrator().ApplyAsync(dataSource);

        await using var command = dataSource.CreateCommand("""
            SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, pg_get_userbyid(c.relowner)
            FROM pg_class c WHERE c.relname IN ('ledger_index_events', 'ledger_index_cursors') ORDER BY c.relname
            """);
        await using var reader = await command.ExecuteReaderAsync();
        var tables = new List<(string, bool, bool, string)>();
        while (await reader.ReadAsync())
        {
            tables.Add((reader.GetString(0), reader.GetBoolean(1), reader.GetBoolean(2), reader.GetString(3)));
        }

        Assert.Equal(["ledger_index_cursors", "ledger_index_events"], tables.Select(t => t.Item1));
        Assert.All(tables, t => Assert.True(t.Item2 && t.Item3, $"{t.Item1}: row security must be enabled and forced"));
        Assert.All(tables, t => Assert.False(t.Item4.StartsWith("tenants_index_", StringComparison.Ordinal), $"{t.Item1} is owned by {t.Item4}"));

        await using var roles = dataSource.CreateCommand(
            "SELECT rolname, rolcanlogin, rolbypassrls, rolsuper FROM pg_roles WHERE rolname LIKE 'tenants_index_%' ORDER BY rolname");
        await using var roleReader = await roles.ExecuteReaderAsync();
        var found = new List<string>();
        while (await roleReader.ReadAsync())
        {
            found.Add(roleReader.GetString(0));
            Assert.False(roleReader.GetBoolean(1) || roleReader.GetBoolean(2) || roleReader.GetBoolean(3), $"{roleReader.GetString(0)} must not log in, bypass RLS or be a superuser");
        }

        Assert.Equal(["tenants_index_reader", "tenants_index_writer"], found);
        await using var gin = dataSource.CreateCommand(
            "SELECT count(*) FROM pg_indexes WHERE tablename = 'ledger_index_events' AND indexdef LIKE '%USING gin (sql_search)%'");
        Assert.Equal(1L, await gin.ExecuteScalarAsync());
    }
}
