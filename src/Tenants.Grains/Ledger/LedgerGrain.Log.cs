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
}
