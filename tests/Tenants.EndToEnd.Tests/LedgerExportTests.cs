using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Tenants.Ledger.Bundles;
using Tenants.Ledger.Signing;
using Tenants.Ledger.Verification;
using Tenants.Testing;

namespace Tenants.EndToEnd.Tests;

/// <summary>A tenant exports its ledger; an auditor verifies the bundle offline with the published key alone.</summary>
[Collection(PlatformCollection.Name)]
public sealed class LedgerExportTests(PlatformFixture platform)
{
    [Fact]
    public async Task Export_AfterAStatement_IsABundleThatVerifiesWithThePublishedKey()
    {
        var marker = $"select 'export_{Guid.NewGuid():N}'";
        var psql = Path.Combine(platform.Upstream.BinDirectory, "psql");
        var (exitCode, output) = await ProcessRunner.RunAsync(psql, [platform.ProxyUri(PlatformFixture.TenantB), "-X", "-c", marker], false, TimeSpan.FromSeconds(30));
        Assert.True(exitCode == 0, output);
        var statement = await platform.WaitForEventAsync(PlatformFixture.TenantB, e => e.GetProperty("sql").GetString() == marker);
        await platform.WaitForCheckpointAsync(PlatformFixture.TenantB, statement.GetProperty("index").GetInt64() + 1);

        using var api = platform.Api(PlatformFixture.TenantB);
        using var response = await api.GetAsync("/api/v1/ledger/export");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-tar", response.Content.Headers.ContentType!.MediaType);
        await using var body = await response.Content.ReadAsStreamAsync();
        var bundle = await LedgerBundleStore.OpenAsync(body);

        using var anonymous = platform.Api(null);
        var key = (await anonymous.GetFromJsonAsync<JsonElement>("/api/v1/ledger/keys")).GetProperty("keys")[0];
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(key.GetProperty("publicKeyPem").GetString());
        var published = new LedgerPublicKey(key.GetProperty("name").GetString()!, ecdsa.ExportSubjectPublicKeyInfo());
        var origin = $"e2e.tenants.test/ledger/{PlatformFixture.TenantB}";
        var report = await new LedgerVerifier(bundle, [published]).VerifyAsync(PlatformFixture.TenantB, origin);

        Assert.Equal(PlatformFixture.TenantB, bundle.Manifest.TenantId);
        Assert.True(report.IsValid, string.Join('\n', report.Lines));
        Assert.True(report.TreeSize > statement.GetProperty("index").GetInt64());
    }

    [Fact]
    public async Task Export_FromASizeThatIsNoCheckpoint_Is400()
    {
        using var api = platform.Api(PlatformFixture.TenantB);

        using var response = await api.GetAsync("/api/v1/ledger/export?from=999999999");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("no checkpoint of size 999999999", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
