using System.Net;
using Tenants.Ledger.Bundles;
using Tenants.Ledger.Verification;

namespace Tenants.EndToEnd.Tests;

/// <summary>A tenant exports its ledger; an auditor verifies the bundle offline with the published key alone.</summary>
[Collection(PlatformCollection.Name)]
public sealed class LedgerExportTests(PlatformFixture platform)
{
    [Fact]
    public async Task Export_AfterAStatement_IsABundleThatVerifiesWithThePublishedKey()
    {
        var (index, _) = await platform.RunSignedAsync(PlatformFixture.TenantB, $"select 'export_{Guid.NewGuid():N}'");

        using var api = platform.Api(PlatformFixture.TenantB);
        using var response = await api.GetAsync("/api/v1/ledger/export");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-tar", response.Content.Headers.ContentType!.MediaType);
        await using var body = await response.Content.ReadAsStreamAsync();
        var bundle = await LedgerBundleStore.OpenAsync(body);

        var published = await platform.PublishedKeysAsync();
        var origin = $"e2e.tenants.test/ledger/{PlatformFixture.TenantB}";
        var report = await new LedgerVerifier(bundle, published).VerifyAsync(PlatformFixture.TenantB, origin);

        Assert.Equal(PlatformFixture.TenantB, bundle.Manifest.TenantId);
        Assert.True(report.IsValid, string.Join('\n', report.Lines));
        Assert.True(report.TreeSize > index);
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
