namespace Tenants.Ledger.Tiles;

/// <summary>Where proofs read hash tiles from: a tenant's ledger store, a downloaded copy, or a test.</summary>
public interface ILedgerTileSource
{
    /// <summary>The tile's stored bytes, or <see langword="null"/> when no such tile is stored.</summary>
    Task<byte[]?> ReadTileAsync(LedgerTileName name, CancellationToken cancellationToken = default);
}
