namespace Tenants.Abstractions.Ledger;

/// <summary>
/// The ledger could not make a batch durable: its blob storage is unreachable or failing, sealing has fallen too far
/// behind, or this activation lost the journal to another writer. Nothing of the batch was acknowledged; retrying the
/// same events later is safe (appends are idempotent by event id). The edge maps it to a SQLSTATE and fails closed.
/// </summary>
[GenerateSerializer]
[Alias("tenants.ledger-unavailable-exception.v1")]
public sealed class LedgerUnavailableException : Exception
{
    public LedgerUnavailableException()
        : this("The tenant's ledger is unavailable.")
    {
    }

    public LedgerUnavailableException(string message)
        : base(message)
    {
    }

    public LedgerUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
