using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Azure.Storage.Blobs;
using Tenants.Ledger.Checkpoints;
using Tenants.Ledger.Signing;
using Tenants.Testing;

namespace Tenants.EndToEnd.Tests;

/// <summary>An auditor fetches the public key without credentials and checks a stored checkpoint with it alone.</summary>
[Collection(PlatformCollection.Name)]
public sealed class LedgerKeysTests(PlatformFixture platform)
{
    [Fact]
    public async Task Keys_FetchedAnonymously_VerifyTheTenantsStoredCheckpoint()
    {
        var marker = $"select 'keys_{Guid.NewGuid():N}'";
        var psql = Path.Combine(platform.Upstream.BinDirectory, "psql");
        var (exitCode, output) = await ProcessRunner.RunAsync(psql, [platform.ProxyUri(PlatformFixture.TenantB), "-X", "-c", marker], false, TimeSpan.FromSeconds(30));
        Assert.True(exitCode == 0, output);
        var statement = await platform.WaitForEventAsync(PlatformFixture.TenantB, e => e.GetProperty("sql").GetString() == marker);
        var status = await platform.WaitForCheckpointAsync(PlatformFixture.TenantB, statement.GetProperty("index").GetInt64() + 1);

        using var anonymous = platform.Api(null);
        var keys = await anonymous.GetFromJsonAsync<JsonElement>("/api/v1/ledger/keys");
        var key = keys.GetProperty("keys")[0];
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(key.GetProperty("publicKeyPem").GetString());
        var trusted = new LedgerPublicKey(key.GetProperty("name").GetString()!, ecdsa.ExportSubjectPublicKeyInfo());
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
