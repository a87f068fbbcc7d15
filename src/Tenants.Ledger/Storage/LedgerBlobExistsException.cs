namespace Tenants.Ledger.Storage;

/// <summary>A create-only write found the blob already there: the ledger never overwrites.</summary>
public sealed class LedgerBlobExistsException : Exception
{
    public LedgerBlobExistsException()
    {
    }

    public LedgerBlobExistsException(string message)
        : base(message)
    {
    }

    public LedgerBlobExistsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
