using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.TestingHost;
using Tenants.Abstractions.Endpoints;
using Tenants.Abstractions.Tenancy;
using Tenants.Grains.Hosting;
using Tenants.Infrastructure.Hosting;
using Tenants.Infrastructure.Postgres;
using Tenants.Ledger.Signing;
using Tenants.Ledger.Storage;
using Tenants.Testing.Ledger;

namespace Tenants.Grains.Tests.Tenancy;

/// <summary>
/// A one-silo cluster whose grain state is in PostgreSQL (the Orleans ADO.NET storage the Host uses, over a migrated
/// database) and whose ledgers write to the given in-memory ledger store. Two silos started one after the other with
/// the same database and service id see the same grain state, as a restarted Host does.
/// </summary>
public sealed class TenantSilo : IAsyncDisposable
{
    public const string OriginPrefix = "grains.test/tenant";

    private TenantSilo(InProcessTestCluster cluster) => Cluster = cluster;

    public InProcessTestCluster Cluster { get; }

    public IClusterClient Client => Cluster.Client;

    public static async Task<string> CreateDatabaseAsync(Testing.PostgresFixture postgres)
    {
        var connectionString = await postgres.CreateUniqueDatabaseAsync("tenant");
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await new PostgresMigrator().ApplyAsync(dataSource);
        return connectionString;
    }

    /// <summary>Starts the silo; <paramref name="time"/>, when given, is the clock of the grains (a fake one moves time in tests).</summary>
    public static async Task<TenantSilo> StartAsync(string connectionString, string serviceId, ILedgerStore store, TestLedgerSigner signer, TimeProvider? time = null)
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ServiceId = serviceId;
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddTenantsPostgresGrainStorage("ledger", connectionString);
            silo.Services.AddTenantsGrains();
            if (time is not null)
            {
                silo.Services.AddSingleton(time);
            }

            silo.Services.AddSingleton(store);
            if (store is ILedgerJournal journal)
            {
                silo.Services.AddSingleton(journal);
            }
            silo.Services.AddSingleton<ILedgerSigner>(signer);
            silo.Services.Configure<Tenants.Ledger.LedgerOptions>(o =>
            {
                o.OriginPrefix = OriginPrefix;
                o.MaxBlockEntries = 100;
                o.MaxBlockDelay = TimeSpan.FromHours(1);
                o.CheckpointInterval = TimeSpan.FromHours(1);
            });
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new TenantSilo(cluster);
    }

    public ITenantGrain Tenant(string tenantId) => Client.GetGrain<ITenantGrain>(tenantId);

    public IEndpointGrain Endpoint(string endpointId) => Client.GetGrain<IEndpointGrain>(endpointId);

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }
}
