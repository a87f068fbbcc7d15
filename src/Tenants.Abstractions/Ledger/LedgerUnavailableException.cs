namespace Tenants.Abstractions.Ledger;

/// <summary>
/// The ledger could not make a batch durable (blob storage unreachable or refusing writes). The caller may not assume
/// the events were stored; a retry with the same event ids is safe.
/// </summary>
[GenerateSerializer]
[Alias("tenants.ledger-unavailable-exception.v1")]
public sealed class LedgerUnavailableException : Exception
{
    public LedgerUnavailableException()
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
