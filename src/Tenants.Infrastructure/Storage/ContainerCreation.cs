using Azure.Storage.Blobs;

namespace Tenants.Infrastructure.Storage;

/// <summary>
/// Creates a blob container at first use, once for every caller of the process; a failed attempt is retried by the next
/// caller. The creation is not tied to any caller's token: one caller giving up must not fail the others.
/// </summary>
internal sealed class ContainerCreation(BlobContainerClient container)
{
    private Task? _ready;

    public Task EnsureAsync(CancellationToken cancellationToken)
    {
        var ready = Volatile.Read(ref _ready);
        if (ready is { IsCompletedSuccessfully: true })
        {
            return Task.CompletedTask;
        }

        if (ready is null || ready.IsFaulted || ready.IsCanceled)
        {
            var created = container.CreateIfNotExistsAsync(cancellationToken: CancellationToken.None);
            ready = Interlocked.CompareExchange(ref _ready, created, ready) == ready ? created : Volatile.Read(ref _ready)!;
        }

        return ready.WaitAsync(cancellationToken);
    }
}
