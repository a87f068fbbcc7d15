namespace Tenants.Ledger.Bundles;

/// <summary>
/// Where finished export bundles are kept (a blob container of their own, a prefix per tenant), so a bundle is written
/// once by the job that makes it and downloaded later by any API node, never held in memory.
/// </summary>
public interface ILedgerExportStore
{
    /// <summary>
    /// Opens the bundle of <paramref name="exportId"/> for writing, replacing what an interrupted attempt left. The
    /// bundle exists once the stream is disposed.
    /// </summary>
    Task<Stream> OpenWriteAsync(string tenantId, string exportId, CancellationToken cancellationToken = default);

    /// <summary>Opens the stored bundle for reading, or null when there is none.</summary>
    Task<Stream?> OpenReadAsync(string tenantId, string exportId, CancellationToken cancellationToken = default);

    /// <summary>Deletes the stored bundle; nothing happens when there is none.</summary>
    Task DeleteAsync(string tenantId, string exportId, CancellationToken cancellationToken = default);
}
