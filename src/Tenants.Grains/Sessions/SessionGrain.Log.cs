using Microsoft.Extensions.Logging;

namespace Tenants.Grains.Sessions;

public sealed partial class SessionGrain
{
    [LoggerMessage(EventId = 2300, EventName = "SessionSummaryAppended", Level = LogLevel.Debug,
        Message = "Tenant {TenantId} session {SessionId}: summary appended ({Entries} entries, {Statements} statements)")]
    private partial void LogSummaryAppended(string tenantId, string sessionId, long entries, long statements);

    [LoggerMessage(EventId = 2301, EventName = "SessionSummaryFailed", Level = LogLevel.Warning,
        Message = "Tenant {TenantId} session {SessionId}: the ledger did not take the summary; trying again in {RetryDelay}")]
    private partial void LogSummaryFailed(Exception exception, string tenantId, string sessionId, TimeSpan retryDelay);

    [LoggerMessage(EventId = 2302, EventName = "SessionIdleTimeout", Level = LogLevel.Information,
        Message = "Tenant {TenantId} session {SessionId}: no entry for {IdleTimeout} and no session end; summing it up")]
    private partial void LogIdleTimeout(string tenantId, string sessionId, TimeSpan idleTimeout);

    [LoggerMessage(EventId = 2303, EventName = "SessionForeignEntry", Level = LogLevel.Warning,
        Message = "Tenant {TenantId} session {SessionId}: ignored the entry at leaf {LeafIndex}, which belongs to another session")]
    private partial void LogForeignEntry(string tenantId, string sessionId, long leafIndex);
}
