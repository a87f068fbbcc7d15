using System.Net.Http.Json;
using System.Text.Json;
using Azure.Storage.Blobs;
using Tenants.Ledger.Checkpoints;

namespace Tenants.EndToEnd.Tests;

/// <summary>An auditor fetches the public key without credentials and checks a stored checkpoint with it alone.</summary>
[Collection(PlatformCollection.Name)]
public sealed class LedgerKeysTests(PlatformFixture platform)
{
    [Fact]
    public async Task Keys_FetchedAnonymously_VerifyTheTenantsStoredCheckpoint()
    {
        var (_, status) = await platform.RunSignedAsync(PlatformFixture.TenantB, $"select 'keys_{Guid.NewGuid():N}'");

        using var anonymous = platform.Api(null);
        var key = (await anonymous.GetFromJsonAsync<JsonElement>("/api/v1/ledger/keys")).GetProperty("keys")[0];
        var trusted = (await platform.PublishedKeysAsync())[0];
        Assert.Equal(key.GetProperty("keyId").GetString(), trusted.KeyId.ToString("x8", System.Globalization.CultureInfo.InvariantCulture));

        var size = status.GetProperty("checkpointSize").GetInt64();
        var blob = new BlobContainerClient(platform.Azurite.ConnectionString, "ledger")
            .GetBlobClient($"tenants/{PlatformFixture.TenantB}/checkpoints/{size:D20}.note");
        var note = (await blob.DownloadContentAsync()).Value.Content.ToString();

        Assert.True(CheckpointNote.TryOpen(note, [trusted], out var checkpoint, out var error), error);
        Assert.Equal(size, checkpoint!.TreeSize);
        Assert.Equal($"e2e.tenants.test/ledger/{PlatformFixture.TenantB}", checkpoint.Origin);
        Assert.Equal(status.GetProperty("checkpointRootHash").GetString(), Convert.ToBase64String(checkpoint.RootHash));
    }
}
