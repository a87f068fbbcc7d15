using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using Tenants.Grains.Hosting;
using Tenants.Ledger.Signing;
using Tenants.Ledger.Storage;
using Tenants.Testing.Ledger;

namespace Tenants.Grains.Tests.Ledger;

/// <summary>
/// A one-silo in-process cluster with memory grain storage, the in-memory ledger store and a test signer (the
/// blob store and the real signers have their own tests against Azurite and key files).
/// </summary>
public sealed class LedgerGrainFixture : IAsyncLifetime
{
    public InMemoryLedgerStore Store { get; } = new();

    public TestLedgerSigner Signer { get; } = new("grains.test/ledger");

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage("ledger");
            silo.Services.AddTenantsGrains();
            silo.Services.AddSingleton<ILedgerStore>(Store);
            silo.Services.AddSingleton<ILedgerJournal>(Store);
            silo.Services.AddSingleton<ILedgerSigner>(Signer);
            silo.Services.Configure<Tenants.Ledger.LedgerOptions>(o =>
            {
                o.OriginPrefix = "grains.test/ledger";
                o.MaxBlockEntries = 4;
                o.MaxBlockDelay = TimeSpan.FromMilliseconds(50);
                o.CheckpointInterval = TimeSpan.FromMilliseconds(50);
            });
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        Signer.Dispose();
    }
}
