using System.Runtime.CompilerServices;
using System.Text;
using Azure;
using Azure.Storage.Blobs;
using Tenants.Ledger.Storage;
using Tenants.Ledger.Tiles;

namespace Tenants.Verify;

/// <summary>
/// A tenant's ledger read straight from its Blob Storage container (<c>tenants/&lt;tenant&gt;/blocks/...</c>,
/// <c>.../checkpoints/...</c>, <c>.../tile/...</c>), with a read-only SAS URL or a connection string. Never writes, never creates.
/// </summary>
internal sealed class BlobContainerLedgerStore(BlobContainerClient container) : ILedgerReader
{
    public async IAsyncEnumerable<LedgerBlockName> ListBlocksAsync(string tenantId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var path in ListAsync(tenantId, LedgerBlockName.Folder, cancellationToken).ConfigureAwait(false))
        {
            if (LedgerBlockName.TryParse(path, out var name))
            {
                yield return name;
            }
        }
    }

    public async Task<LedgerBlock> ReadBlockAsync(string tenantId, LedgerBlockName name, CancellationToken cancellationToken = default) =>
        LedgerBlock.Decode(name, await DownloadAsync(tenantId, name.Path, cancellationToken).ConfigureAwait(false));

    public async IAsyncEnumerable<long> ListCheckpointsAsync(string tenantId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var path in ListAsync(tenantId, LedgerCheckpointName.Folder, cancellationToken).ConfigureAwait(false))
        {
            if (LedgerCheckpointName.TryParse(path, out var size))
            {
                yield return size;
            }
        }
    }

    public async Task<string> ReadCheckpointAsync(string tenantId, long treeSize, CancellationToken cancellationToken = default) =>
        Encoding.UTF8.GetString((await DownloadAsync(tenantId, LedgerCheckpointName.Path(treeSize), cancellationToken).ConfigureAwait(false)).Span);

    public async Task<byte[]?> ReadTileAsync(string tenantId, LedgerTileName tile, CancellationToken cancellationToken = default)
    {
        try
        {
            return (await DownloadAsync(tenantId, tile.Path, cancellationToken).ConfigureAwait(false)).ToArray();
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    public async IAsyncEnumerable<LedgerTileName> ListTilesAsync(string tenantId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var path in ListAsync(tenantId, LedgerTileName.Folder, cancellationToken).ConfigureAwait(false))
        {
            if (LedgerTileName.TryParse(path, out var name))
            {
                yield return name;
            }
        }
    }

    private static string Prefix(string tenantId) =>
        tenantId.Length is > 0 and <= 63 && tenantId.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-')
            ? $"tenants/{tenantId}/"
            : throw new ArgumentException($"'{tenantId}' is not a tenant id (1 to 63 lower-case letters, digits and hyphens)", nameof(tenantId));

    private async IAsyncEnumerable<string> ListAsync(string tenantId, string folder, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var prefix = Prefix(tenantId);
        await foreach (var item in container.GetBlobsAsync(new Azure.Storage.Blobs.Models.GetBlobsOptions { Prefix = prefix + folder }, cancellationToken).ConfigureAwait(false))
        {
            yield return item.Name[prefix.Length..];
        }
    }

    private async Task<ReadOnlyMemory<byte>> DownloadAsync(string tenantId, string path, CancellationToken cancellationToken)
    {
        var name = Prefix(tenantId) + path;
        try
        {
            var response = await container.GetBlobClient(name).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return response.Value.Content.ToMemory();
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            throw new FileNotFoundException($"{container.Name}/{name} does not exist", ex);
        }
    }
}
