namespace Tenants.Ledger.Storage;

/// <summary>
/// A journal segment holds something that is not one of its records where a record must be: a foreign or corrupt
/// record (wrong magic, digest or leaf index) or a gap between segments. A torn record at the end of a segment is not
/// this: readers stop there cleanly.
/// </summary>
public sealed class LedgerJournalFormatException : Exception
{
    public LedgerJournalFormatException()
    {
    }

    public LedgerJournalFormatException(string message)
        : base(message)
    {
    }

    public LedgerJournalFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
