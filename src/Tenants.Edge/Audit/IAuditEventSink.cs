using Tenants.Abstractions.Audit;

namespace Tenants.Edge.Audit;

/// <summary>Where the proxy drops events. Never blocks byte forwarding.</summary>
public interface IAuditEventSink
{
    /// <summary>Queues an event for delivery to its tenant's ledger; false if the queue is full (counted and logged).</summary>
    bool TryEmit(AuditEvent auditEvent);
}
