using System.Runtime.CompilerServices;
using Azure;

namespace Tenants.Infrastructure.Storage;

public sealed partial class BlobLedgerStore
{
    /// <inheritdoc />
    public async IAsyncEnumerable<string> ListTenantsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        const string Root = "tenants/";
        var pages = _container.GetBlobsByHierarchyAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, "/", Root, cancellationToken);
        var enumerator = pages.GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                try
                {
                    if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                    {
                        yield break;
                    }
                }
                catch (RequestFailedException ex) when (ex.Status == 404)
                {
                    // No container yet: no tenant has written anything.
                    yield break;
                }

                if (enumerator.Current.IsPrefix && enumerator.Current.Prefix is { } prefix)
                {
                    yield return prefix[Root.Length..].TrimEnd('/');
                }
            }
        }
        finally
        {
            await enumerator.DisposeAsync().ConfigureAwait(false);
        }
    }
}
