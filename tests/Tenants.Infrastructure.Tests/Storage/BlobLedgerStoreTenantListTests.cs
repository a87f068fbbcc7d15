using Azure.Storage.Blobs;
using Tenants.Infrastructure.Storage;
using Tenants.Ledger.Storage;
using Tenants.Testing;

namespace Tenants.Infrastructure.Tests.Storage;

public sealed class BlobLedgerStoreTenantListTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task ListTenants_TenantsWithBlobs_AreListedOnceEach()
    {
        var store = new BlobLedgerStore(new BlobContainerClient(azurite.ConnectionString, $"ledger-{Guid.NewGuid():N}"));
        await store.WriteCheckpointAsync("tenant-b", 1, "note\n");
        await store.WriteCheckpointAsync("tenant-a", 1, "note\n");
        await store.WriteCheckpointAsync("tenant-a", 2, "note\n");
        await store.WriteBlockAsync("tenant-a", new LedgerBlock(new LedgerBlockName(0, 0), [new byte[] { (byte)'{', (byte)'}' }]));

        var tenants = new List<string>();
        await foreach (var tenant in store.ListTenantsAsync())
        {
            tenants.Add(tenant);
        }

        Assert.Equal(["tenant-a", "tenant-b"], tenants);
    }

    [Fact]
    public async Task ListTenants_NoContainerYet_IsEmpty()
    {
        var store = new BlobLedgerStore(new BlobContainerClient(azurite.ConnectionString, $"ledger-{Guid.NewGuid():N}"));

        await foreach (var tenant in store.ListTenantsAsync())
        {
            Assert.Fail($"listed {tenant} from a container that does not exist");
        }
    }
}
