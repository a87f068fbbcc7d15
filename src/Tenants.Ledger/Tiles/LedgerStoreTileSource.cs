using Tenants.Ledger.Storage;

namespace Tenants.Ledger.Tiles;

/// <summary>The hash tiles of one tenant's ledger in an <see cref="ILedgerReader"/>.</summary>
public sealed class LedgerStoreTileSource(ILedgerReader store, string tenantId) : ILedgerTileSource
{
    /// <inheritdoc />
    public Task<byte[]?> ReadTileAsync(LedgerTileName name, CancellationToken cancellationToken = default) =>
        store.ReadTileAsync(tenantId, name, cancellationToken);
}
