using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using Tenants.Abstractions.Ledger;
using Tenants.Grains.Hosting;
using Tenants.Ledger;
using Tenants.Ledger.Signing;
using Tenants.Ledger.Storage;
using Tenants.Testing.Ledger;

namespace Tenants.Grains.Tests.Ledger;

/// <summary>
/// A one-silo cluster of its own (memory grain storage, so a second one over the same ledger store is a fresh node
/// that has lost every grain state) over a given ledger store and journal. Blocks are sealed only by count (100) unless a test
/// says otherwise, so what is acknowledged stays in the journal alone until the test seals it.
/// </summary>
public sealed class LedgerSilo : IAsyncDisposable
{
    public const string OriginPrefix = "grains.test/ledger";

    private LedgerSilo(InProcessTestCluster cluster) => Cluster = cluster;

    public InProcessTestCluster Cluster { get; }

    public static async Task<LedgerSilo> StartAsync(
        ILedgerStore store, ILedgerJournal journal, TestLedgerSigner signer, Action<LedgerOptions>? configure = null)
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage("ledger");
            silo.Services.AddTenantsGrains();
            silo.Services.AddSingleton(store);
            silo.Services.AddSingleton(journal);
            silo.Services.AddSingleton<ILedgerSigner>(signer);
            silo.Services.Configure<LedgerOptions>(o =>
            {
                o.OriginPrefix = OriginPrefix;
                o.MaxBlockEntries = 100;
                o.MaxBlockDelay = TimeSpan.FromHours(1);
                o.CheckpointInterval = TimeSpan.FromHours(1);
                configure?.Invoke(o);
            });
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new LedgerSilo(cluster);
    }

    public ILedgerGrain Ledger(string tenant) => Cluster.Client.GetGrain<ILedgerGrain>(tenant);

    public async ValueTask DisposeAsync() => await Cluster.DisposeAsync();
}
