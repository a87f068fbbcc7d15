using Microsoft.Extensions.Logging;
using Tenants.Abstractions.Jobs;

namespace Tenants.Grains.Jobs;

public sealed partial class LedgerJobsGrain
{
    [LoggerMessage(EventId = 3500, EventName = "LedgerJobQueued", Level = LogLevel.Information,
        Message = "Tenant {TenantId}: {Kind} job {JobId} queued by {RequestedBy}")]
    private partial void LogJobQueued(string tenantId, string jobId, LedgerJobKind kind, string requestedBy);

    [LoggerMessage(EventId = 3501, EventName = "LedgerJobStarted", Level = LogLevel.Debug,
        Message = "Tenant {TenantId}: {Kind} job {JobId} started (attempt {Attempt})")]
    private partial void LogJobStarted(string tenantId, string jobId, LedgerJobKind kind, int attempt);

    [LoggerMessage(EventId = 3502, EventName = "LedgerJobDone", Level = LogLevel.Information,
        Message = "Tenant {TenantId}: {Kind} job {JobId} done")]
    private partial void LogJobDone(string tenantId, string jobId, LedgerJobKind kind);

    [LoggerMessage(EventId = 3503, EventName = "LedgerJobFailed", Level = LogLevel.Warning,
        Message = "Tenant {TenantId}: {Kind} job {JobId} failed")]
    private partial void LogJobFailed(Exception exception, string tenantId, string jobId, LedgerJobKind kind);

    [LoggerMessage(EventId = 3504, EventName = "LedgerJobResumed", Level = LogLevel.Information,
        Message = "Tenant {TenantId}: {Kind} job {JobId} was interrupted after {Attempts} attempt(s); starting it again")]
    private partial void LogJobResumed(string tenantId, string jobId, LedgerJobKind kind, int attempts);

    [LoggerMessage(EventId = 3505, EventName = "LedgerJobAbandoned", Level = LogLevel.Warning,
        Message = "Tenant {TenantId}: job {JobId} was interrupted {Attempts} times; marked failed")]
    private partial void LogJobAbandoned(string tenantId, string jobId, int attempts);

    [LoggerMessage(EventId = 3506, EventName = "LedgerJobSaveFailed", Level = LogLevel.Warning,
        Message = "Tenant {TenantId}: the outcome of job {JobId} could not be saved")]
    private partial void LogSaveFailed(Exception exception, string tenantId, string jobId);

    [LoggerMessage(EventId = 3507, EventName = "ExportBundleDeleted", Level = LogLevel.Information,
        Message = "Tenant {TenantId}: the bundle of export {JobId} was deleted (retention passed or its record was forgotten)")]
    private partial void LogBundleDeleted(string tenantId, string jobId);

    [LoggerMessage(EventId = 3508, EventName = "ExportBundleDeleteFailed", Level = LogLevel.Warning,
        Message = "Tenant {TenantId}: the bundle of export {JobId} could not be deleted; trying again later")]
    private partial void LogBundleDeleteFailed(Exception exception, string tenantId, string jobId);
}
