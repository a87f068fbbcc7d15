namespace Tenants.Ledger.Tiles;

/// <summary>
/// A hash tile needed for a proof or for restoring a tile builder is not stored (neither the partial tile for the
/// requested tree size nor the full tile that supersedes it), or is stored with the wrong length.
/// </summary>
public sealed class LedgerTileMissingException : Exception
{
    public LedgerTileMissingException()
    {
    }

    public LedgerTileMissingException(string message)
        : base(message)
    {
    }

    public LedgerTileMissingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
