using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Options;
using Tenants.Ledger.Bundles;

namespace Tenants.Infrastructure.Storage;

/// <summary>
/// Export bundles in blob storage: container <see cref="BlobLedgerStoreOptions.ExportContainerName"/>, blob
/// <c>tenants/&lt;tenantId&gt;/exports/&lt;exportId&gt;.tar</c>. Written as a block blob streamed in blocks, so a bundle
/// is never held in memory; an interrupted attempt's blob is replaced by the next attempt.
/// </summary>
public sealed class BlobLedgerExportStore : ILedgerExportStore
{
    private const string ContentType = "application/x-tar";
    private readonly BlobContainerClient _container;
    private readonly ContainerCreation _containerCreation;

    /// <summary>Creates the store from configured options.</summary>
    public BlobLedgerExportStore(IOptions<BlobLedgerStoreOptions> options)
        : this(BlobLedgerStore.CreateContainerClient(options.Value, options.Value.ExportContainerName))
    {
    }

    /// <summary>Creates the store over a container client (created at first use if missing).</summary>
    public BlobLedgerExportStore(BlobContainerClient container)
    {
        ArgumentNullException.ThrowIfNull(container);
        _container = container;
        _containerCreation = new ContainerCreation(container);
    }

    /// <inheritdoc />
    public async Task<Stream> OpenWriteAsync(string tenantId, string exportId, CancellationToken cancellationToken = default)
    {
        await _containerCreation.EnsureAsync(cancellationToken).ConfigureAwait(false);
        var blob = _container.GetBlockBlobClient(Name(tenantId, exportId));
        return await blob.OpenWriteAsync(
            overwrite: true,
            new BlockBlobOpenWriteOptions { HttpHeaders = new BlobHttpHeaders { ContentType = ContentType } },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<Stream?> OpenReadAsync(string tenantId, string exportId, CancellationToken cancellationToken = default)
    {
        await _containerCreation.EnsureAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var download = await _container.GetBlobClient(Name(tenantId, exportId))
                .DownloadStreamingAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return download.Value.Content;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async Task DeleteAsync(string tenantId, string exportId, CancellationToken cancellationToken = default)
    {
        await _containerCreation.EnsureAsync(cancellationToken).ConfigureAwait(false);
        await _container.GetBlobClient(Name(tenantId, exportId))
            .DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static string Name(string tenantId, string exportId)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentException.ThrowIfNullOrEmpty(exportId);
        if (tenantId.Contains('/', StringComparison.Ordinal) || exportId.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException("Tenant and export ids never contain '/'.");
        }

        return $"tenants/{tenantId}/exports/{exportId}.tar";
    }
}
