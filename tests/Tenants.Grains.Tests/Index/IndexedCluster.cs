using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.TestingHost;
using Tenants.Grains.Hosting;
using Tenants.Grains.Index;
using Tenants.Grains.Sessions;
using Tenants.Infrastructure.Hosting;
using Tenants.Infrastructure.Storage;
using Tenants.Ledger.Signing;
using Tenants.Ledger.Storage;
using Tenants.Testing.Ledger;

namespace Tenants.Grains.Tests.Index;

/// <summary>
/// A one-silo in-process cluster whose ledgers write to Azurite and whose indexer writes the PostgreSQL index at
/// the given connection string (whose database need not exist yet).
/// </summary>
public sealed class IndexedCluster : IAsyncDisposable
{
    public const string OriginPrefix = "index.test/ledger";

    private IndexedCluster(InProcessTestCluster cluster, BlobLedgerStore store, NpgsqlDataSource dataSource, TestLedgerSigner signer)
    {
        Cluster = cluster;
        Store = store;
        DataSource = dataSource;
        Signer = signer;
    }

    public InProcessTestCluster Cluster { get; }

    public BlobLedgerStore Store { get; }

    public NpgsqlDataSource DataSource { get; }

    public TestLedgerSigner Signer { get; }

    public IServiceProvider SiloServices => Cluster.Silos[0].ServiceProvider;

    public static async Task<IndexedCluster> StartAsync(
        string blobConnectionString, string indexConnectionString, Action<SessionOptions>? sessions = null)
    {
        var container = new BlobContainerClient(blobConnectionString, $"ledger-{Guid.NewGuid():N}");
        await container.CreateIfNotExistsAsync();
        var store = new BlobLedgerStore(container);
        var dataSource = NpgsqlDataSource.Create(indexConnectionString);
        var signer = new TestLedgerSigner(OriginPrefix);
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage("ledger");
            silo.Services.AddTenantsGrains();
            silo.Services.AddSingleton<ILedgerStore>(store);
            silo.Services.AddSingleton<ILedgerReader>(store);
            silo.Services.AddSingleton<ILedgerJournal>(new BlobLedgerJournal(container));
            silo.Services.AddSingleton<ILedgerSigner>(signer);
            silo.Services.AddSingleton(dataSource);
            silo.Services.AddPostgresLedgerIndex();
            silo.Services.AddTenantsLedgerIndexing();
            silo.Services.Configure<LedgerIndexOptions>(o => o.RetryDelay = TimeSpan.FromMilliseconds(50));
            silo.Services.Configure<SessionOptions>(o =>
            {
                o.SummaryRetryDelay = TimeSpan.FromMilliseconds(50);
                sessions?.Invoke(o);
            });
            silo.Services.Configure<Tenants.Ledger.LedgerOptions>(o =>
            {
                o.OriginPrefix = OriginPrefix;
                o.MaxBlockEntries = 4;
                o.MaxBlockDelay = TimeSpan.FromMilliseconds(50);
                o.CheckpointInterval = TimeSpan.FromMilliseconds(50);
            });
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new IndexedCluster(cluster, store, dataSource, signer);
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await DataSource.DisposeAsync();
        Signer.Dispose();
    }
}
