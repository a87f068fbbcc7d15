using Azure.Storage.Blobs;
using Tenants.Testing;

namespace Tenants.Infrastructure.Tests.Testing;

public sealed class AzuriteFixtureTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Blob_UploadThenDownload_RoundTripsBytes()
    {
        var container = new BlobContainerClient(azurite.ConnectionString, "fixture-round-trip");
        await container.CreateIfNotExistsAsync();
        var blob = container.GetBlobClient("hello.txt");
        var content = BinaryData.FromString("hello from the azurite fixture\n");

        await blob.UploadAsync(content);
        var downloaded = await blob.DownloadContentAsync();

        Assert.Equal(content.ToArray(), downloaded.Value.Content.ToArray());
    }

    [Fact]
    public void ConnectionString_PointsAtTheBlobEndpoint()
    {
        Assert.Equal("devstoreaccount1", azurite.BlobEndpoint.AbsolutePath.Trim('/'));
        Assert.Contains($"BlobEndpoint={azurite.BlobEndpoint};", azurite.ConnectionString, StringComparison.Ordinal);
        Assert.Equal(azurite.BlobEndpoint, new BlobServiceClient(azurite.ConnectionString).Uri);
    }
}
