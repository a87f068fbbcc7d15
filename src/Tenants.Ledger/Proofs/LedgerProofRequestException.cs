namespace Tenants.Ledger.Proofs;

/// <summary>
/// A proof was asked for that cannot exist: a negative number, a leaf index not below the tree size, sizes in the
/// wrong order, or a tree size that no checkpoint was written for. The caller's mistake, not the ledger's.
/// </summary>
public sealed class LedgerProofRequestException : Exception
{
    public LedgerProofRequestException()
    {
    }

    public LedgerProofRequestException(string message)
        : base(message)
    {
    }

    public LedgerProofRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
