namespace Tenants.Ledger.Storage;

/// <summary>
/// A stored block is not a block: not gzip, truncated, corrupt, or larger than <see cref="LedgerBlockCodec.MaxBlockBytes"/>
/// when decompressed. The verifier reports it as <c>invalid format</c> at that blob.
/// </summary>
public sealed class LedgerBlockFormatException : Exception
{
    public LedgerBlockFormatException()
    {
    }

    public LedgerBlockFormatException(string message)
        : base(message)
    {
    }

    public LedgerBlockFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
