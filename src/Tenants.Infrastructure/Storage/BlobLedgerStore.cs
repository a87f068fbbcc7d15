using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using Azure;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Options;
using Tenants.Ledger.Storage;
using Tenants.Ledger.Tiles;

namespace Tenants.Infrastructure.Storage;

/// <summary>
/// The ledger in Azure Blob Storage (or Azurite): one container per deployment, a prefix per tenant
/// (<c>tenants/&lt;tenantId&gt;/blocks/...jsonl.gz</c>, <c>tenants/&lt;tenantId&gt;/checkpoints/&lt;size&gt;.note</c>,
/// <c>tenants/&lt;tenantId&gt;/tile/...</c>).
/// Every blob is created create-only (<c>If-None-Match: *</c>); an existing blob is reported as
/// <see cref="LedgerBlobExistsException"/>, never overwritten. The journal is <see cref="BlobLedgerJournal"/>, in a
/// container of its own.
/// </summary>
public sealed partial class BlobLedgerStore : ILedgerStore
{
    // Not Content-Encoding: gzip, which would let HTTP clients and copy tools hand an auditor decompressed bytes
    // under a .gz name.
    private const string BlockContentType = "application/gzip";
    private const string CheckpointContentType = "text/plain; charset=utf-8";
    private const string TileContentType = "application/octet-stream";

    private readonly BlobContainerClient _container;
    private readonly ContainerCreation _containerCreation;

    /// <summary>Creates a store from configured options.</summary>
    public BlobLedgerStore(IOptions<BlobLedgerStoreOptions> options)
        : this(CreateContainerClient(options.Value, options.Value.ContainerName), options.Value)
    {
    }

    /// <summary>Creates a store over an existing container client (the container is created at first use if missing).</summary>
    public BlobLedgerStore(BlobContainerClient container)
        : this(container, new BlobLedgerStoreOptions())
    {
    }

    /// <summary>
    /// Creates a store over an existing container client (the options' connection settings are not used).
    /// </summary>
    public BlobLedgerStore(BlobContainerClient container, BlobLedgerStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(options);
        _container = container;
        _containerCreation = new ContainerCreation(container);
    }

    /// <inheritdoc />
    public async Task WriteBlockAsync(string tenantId, LedgerBlock block, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(block);
        var prefix = TenantPrefix(tenantId);
        var content = block.Encode();
        await CreateOnlyAsync(prefix + block.Name.Path, new BinaryData(content), BlockContentType, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task WriteCheckpointAsync(string tenantId, long treeSize, string note, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(treeSize);
        ArgumentNullException.ThrowIfNull(note);
        return CreateOnlyAsync(TenantPrefix(tenantId) + LedgerCheckpointName.Path(treeSize), BinaryData.FromString(note), CheckpointContentType, cancellationToken);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<LedgerBlockName> ListBlocksAsync(string tenantId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var prefix = TenantPrefix(tenantId);
        await _containerCreation.EnsureAsync(cancellationToken).ConfigureAwait(false);

        // Names are zero-padded, and the service lists in lexical order, so this is leaf order.
        await foreach (var item in _container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix + LedgerBlockName.Folder }, cancellationToken).ConfigureAwait(false))
        {
            if (LedgerBlockName.TryParse(item.Name[prefix.Length..], out var name))
            {
                yield return name;
            }
        }
    }

    /// <inheritdoc />
    public async Task<LedgerBlock> ReadBlockAsync(string tenantId, LedgerBlockName name, CancellationToken cancellationToken = default)
    {
        var content = await DownloadAsync(TenantPrefix(tenantId) + name.Path, cancellationToken).ConfigureAwait(false);
        return LedgerBlock.Decode(name, content.ToMemory());
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<long> ListCheckpointsAsync(string tenantId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var prefix = TenantPrefix(tenantId);
        await _containerCreation.EnsureAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var item in _container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix + LedgerCheckpointName.Folder }, cancellationToken).ConfigureAwait(false))
        {
            if (LedgerCheckpointName.TryParse(item.Name[prefix.Length..], out var treeSize))
            {
                yield return treeSize;
            }
        }
    }

    /// <inheritdoc />
    public async Task<string> ReadCheckpointAsync(string tenantId, long treeSize, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(treeSize);
        var content = await DownloadAsync(TenantPrefix(tenantId) + LedgerCheckpointName.Path(treeSize), cancellationToken).ConfigureAwait(false);
        return Encoding.UTF8.GetString(content.ToMemory().Span);
    }

    // Hash tiles (tile/<L>/<N>[.p/<W>]): create-only like everything else, but a retried write of the same bytes succeeds.

    /// <inheritdoc />
    public async Task WriteTileAsync(string tenantId, LedgerTileName tile, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var blobName = TenantPrefix(tenantId) + tile.Path;
        try
        {
            await CreateOnlyAsync(blobName, new BinaryData(content), TileContentType, cancellationToken).ConfigureAwait(false);
        }
        catch (LedgerBlobExistsException)
        {
            var existing = await DownloadAsync(blobName, cancellationToken).ConfigureAwait(false);
            if (!existing.ToMemory().Span.SequenceEqual(content.Span))
            {
                throw;
            }
        }
    }

    /// <inheritdoc />
    public async Task<byte[]?> ReadTileAsync(string tenantId, LedgerTileName tile, CancellationToken cancellationToken = default)
    {
        try
        {
            var response = await _container.GetBlobClient(TenantPrefix(tenantId) + tile.Path).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return response.Value.Content.ToArray();
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<LedgerTileName> ListTilesAsync(string tenantId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var prefix = TenantPrefix(tenantId);
        await _containerCreation.EnsureAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var item in _container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix + LedgerTileName.Folder }, cancellationToken).ConfigureAwait(false))
        {
            if (LedgerTileName.TryParse(item.Name[prefix.Length..], out var name))
            {
                yield return name;
            }
        }
    }

    /// <summary>The blob prefix of a tenant's ledger, after checking the id cannot reach outside it.</summary>
    internal static string TenantPrefix(string tenantId)
    {
        ArgumentNullException.ThrowIfNull(tenantId);
        if (!TenantIdPattern().IsMatch(tenantId))
        {
            throw new ArgumentException(
                $"Tenant id '{tenantId}' is not valid for the ledger: use 1 to 63 lower-case letters, digits and hyphens.", nameof(tenantId));
        }

        return $"tenants/{tenantId}/";
    }


    private async Task CreateOnlyAsync(string blobName, BinaryData content, string contentType, CancellationToken cancellationToken)
    {
        await _containerCreation.EnsureAsync(cancellationToken).ConfigureAwait(false);
        var options = new BlobUploadOptions
        {
            Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
            HttpHeaders = new BlobHttpHeaders { ContentType = contentType },
        };
        try
        {
            await _container.GetBlobClient(blobName).UploadAsync(content, options, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            throw new LedgerBlobExistsException(
                $"Ledger blob '{_container.Name}/{blobName}' already exists; ledger blobs are written once and never overwritten.", ex);
        }
    }

    private async Task<BinaryData> DownloadAsync(string blobName, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _container.GetBlobClient(blobName).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return response.Value.Content;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            throw new KeyNotFoundException($"Ledger blob '{_container.Name}/{blobName}' does not exist.", ex);
        }
    }

    internal static BlobContainerClient CreateContainerClient(BlobLedgerStoreOptions options, string containerName)
    {
        var service = !string.IsNullOrWhiteSpace(options.ConnectionString)
            ? new BlobServiceClient(options.ConnectionString)
            : new BlobServiceClient(
                options.ServiceUri ?? throw new InvalidOperationException(
                    $"Set {BlobLedgerStoreOptions.SectionName}:ConnectionString or {BlobLedgerStoreOptions.SectionName}:ServiceUri."),
                new DefaultAzureCredential());
        return service.GetBlobContainerClient(containerName);
    }

    [GeneratedRegex("^[a-z0-9-]{1,63}$")]
    private static partial Regex TenantIdPattern();
}
