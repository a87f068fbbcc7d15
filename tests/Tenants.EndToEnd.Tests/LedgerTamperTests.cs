using System.Net.Http.Json;
using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Tenants.Ledger.Storage;
using Tenants.Testing.Ledger;

namespace Tenants.EndToEnd.Tests;

/// <summary>Someone with write access to storage alters a sealed block by hand; verification names that block.</summary>
[Collection(PlatformCollection.Name)]
public sealed class LedgerTamperTests(PlatformFixture platform)
{
    [Fact]
    public async Task Verify_BlockAlteredInStorage_FailsAtThatBlock()
    {
        var tag = $"tamper_{Guid.NewGuid():N}";
        await platform.RunSignedAsync(PlatformFixture.TamperTenant, $"select '{tag}'");

        using var api = platform.Api(PlatformFixture.TamperTenant);
        var before = await api.GetFromJsonAsync<JsonElement>("/api/v1/ledger/verify");
        Assert.True(before.GetProperty("valid").GetBoolean(), before.ToString());

        // Find the block holding the statement and change one character of its SQL, keeping the JSON well-formed.
        var container = new BlobContainerClient(platform.Azurite.ConnectionString, "ledger");
        var prefix = $"tenants/{PlatformFixture.TamperTenant}/blocks/";
        BlobClient? target = null;
        byte[]? forged = null;
        await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, CancellationToken.None))
        {
            var client = container.GetBlobClient(blob.Name);
            Assert.True(LedgerBlockName.TryParse(blob.Name[(prefix.Length - LedgerBlockName.Folder.Length)..], out var name), blob.Name);
            var stored = (await client.DownloadContentAsync()).Value.Content.ToArray();
            var found = false;
            var edited = StoredBlockEditor.Edit(name, stored, lines =>
            {
                for (var i = 0; i < lines.Count; i++)
                {
                    found |= lines[i].Contains(tag, StringComparison.Ordinal);
                    lines[i] = lines[i].Replace(tag, tag.Replace("tamper_", "tamp3r_", StringComparison.Ordinal), StringComparison.Ordinal);
                }
            });
            if (found)
            {
                (target, forged) = (client, edited);
            }
        }

        Assert.NotNull(target);
        await target!.UploadAsync(new BinaryData(forged!), overwrite: true);

        var after = await api.GetFromJsonAsync<JsonElement>("/api/v1/ledger/verify");

        Assert.False(after.GetProperty("valid").GetBoolean(), after.ToString());
        var problem = after.GetProperty("firstProblem");
        Assert.Equal(target.Name[$"tenants/{PlatformFixture.TamperTenant}/".Length..], problem.GetProperty("location").GetString());
        Assert.Contains(after.GetProperty("report").EnumerateArray(), line => line.GetString()!.StartsWith("INVALID", StringComparison.Ordinal));
    }
}
