using Microsoft.Extensions.Logging;

namespace Tenants.Grains.Ledger;

public sealed partial class LedgerGrain
{
    [LoggerMessage(EventId = 2000, EventName = "LedgerBlockSealed", Level = LogLevel.Debug,
        Message = "Tenant {TenantId}: sealed block {FirstIndex}-{LastIndex}")]
    private partial void LogBlockSealed(string tenantId, long firstIndex, long lastIndex);

    [LoggerMessage(EventId = 2001, EventName = "LedgerCheckpointWritten", Level = LogLevel.Debug,
        Message = "Tenant {TenantId}: signed checkpoint at tree size {TreeSize}")]
    private partial void LogCheckpointWritten(string tenantId, long treeSize);

    [LoggerMessage(EventId = 2002, EventName = "LedgerSealFailed", Level = LogLevel.Error,
        Message = "Tenant {TenantId}: could not seal or sign ({Pending} entries pending); will retry")]
    private partial void LogSealFailed(Exception exception, string tenantId, int pending);

    [LoggerMessage(EventId = 2003, EventName = "LedgerRecovered", Level = LogLevel.Information,
        Message = "Tenant {TenantId}: state caught up from blobs: {SealedSize} sealed entries, checkpoint at {CheckpointSize}")]
    private partial void LogRecovered(string tenantId, long sealedSize, long checkpointSize);

    [LoggerMessage(EventId = 2010, EventName = "LedgerJournalFailed", Level = LogLevel.Warning,
        Message = "Tenant {TenantId}: journal append of {Entries} entries failed; the callers get LedgerUnavailableException")]
    private partial void LogJournalFailed(Exception exception, string tenantId, int entries);

    [LoggerMessage(EventId = 2011, EventName = "LedgerJournalConflict", Level = LogLevel.Error,
        Message = "Tenant {TenantId}: another writer took the ledger (journal or block conflict); this activation stops and deactivates")]
    private partial void LogJournalConflict(Exception exception, string tenantId);

    [LoggerMessage(EventId = 2012, EventName = "LedgerJournalReplayed", Level = LogLevel.Information,
        Message = "Tenant {TenantId}: {Entries} journaled entries after sealed size {SealedSize} replayed from the journal")]
    private partial void LogJournalReplayed(string tenantId, long sealedSize, int entries);

    [LoggerMessage(EventId = 2013, EventName = "LedgerActivationFailed", Level = LogLevel.Warning,
        Message = "Tenant {TenantId}: the ledger could not be read from storage; the call fails with LedgerUnavailableException")]
    private partial void LogActivationFailed(Exception exception, string tenantId);

    [LoggerMessage(EventId = 2014, EventName = "LedgerJournalTrimFailed", Level = LogLevel.Warning,
        Message = "Could not trim the journal of tenant {TenantId} below leaf {BelowLeafIndex}; it keeps the records and tries at the next checkpoint")]
    private partial void LogJournalTrimFailed(Exception exception, string tenantId, long belowLeafIndex);
}
