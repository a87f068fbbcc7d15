namespace Tenants.Ledger.Storage;

/// <summary>
/// Another writer got to the tenant's journal first: the append position moved, the segment already exists, or the
/// leaves are already journaled. The caller is not the journal's only writer (for example a duplicate ledger grain
/// activation) and must stop appending; nothing it tried to append was written.
/// </summary>
public sealed class LedgerJournalConflictException : Exception
{
    public LedgerJournalConflictException()
    {
    }

    public LedgerJournalConflictException(string message)
        : base(message)
    {
    }

    public LedgerJournalConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
