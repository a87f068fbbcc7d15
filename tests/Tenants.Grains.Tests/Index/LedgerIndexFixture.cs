using Npgsql;
using Tenants.Infrastructure.Postgres;
using Tenants.Testing;

namespace Tenants.Grains.Tests.Index;

/// <summary>PostgreSQL and Azurite for the indexer tests, and one indexed cluster over a migrated database.</summary>
public sealed class LedgerIndexFixture : IAsyncLifetime
{
    public PostgresFixture Postgres { get; } = new();

    public AzuriteFixture Azurite { get; } = new();

    public IndexedCluster Indexed { get; private set; } = null!;

    /// <summary>The connection string of <see cref="Indexed"/>'s migrated database, password included.</summary>
    public string IndexDatabase { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Task.WhenAll(Postgres.InitializeAsync(), Azurite.InitializeAsync());
        var database = await Postgres.CreateUniqueDatabaseAsync("indexer");
        await using (var dataSource = NpgsqlDataSource.Create(database))
        {
            await new PostgresMigrator().ApplyAsync(dataSource);
        }

        IndexDatabase = database;
        Indexed = await IndexedCluster.StartAsync(Azurite.ConnectionString, database);
    }

    public async Task DisposeAsync()
    {
        if (Indexed is not null)
        {
            await Indexed.DisposeAsync();
        }

        await Azurite.DisposeAsync();
        await Postgres.DisposeAsync();
    }
}
