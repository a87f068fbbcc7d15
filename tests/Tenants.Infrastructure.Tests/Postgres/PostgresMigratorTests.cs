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
}
