namespace Tenants.Infrastructure.Journal;

/// <summary>Where the ledger grains keep their write-ahead journal (configuration <c>Ledger:Journal</c>).</summary>
public enum LedgerJournalKind
{
    /// <summary>Append blobs in the journal container of the ledger's storage account (<c>BlobLedgerJournal</c>).</summary>
    Blob,

    /// <summary>The <c>ledger_journal</c> table of the platform database (<see cref="PostgresLedgerJournal"/>).</summary>
    Postgres,
}
