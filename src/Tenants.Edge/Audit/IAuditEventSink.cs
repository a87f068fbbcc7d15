using Tenants.Abstractions.Audit;

namespace Tenants.Edge.Audit;

/// <summary>Where the proxy sends audit events, in one of three durability modes (see <see cref="DurabilityMode"/>).</summary>
public interface IAuditEventSink
{
    /// <summary>
    /// <see cref="DurabilityMode.Async"/>: queues the event without ever waiting. If the queue is full the event goes
    /// to the disk spool; false only if it had to be dropped (spool full too; counted and logged).
    /// </summary>
    bool TryEmit(AuditEvent auditEvent);

    /// <summary>
    /// <see cref="DurabilityMode.Sequenced"/>: queues the event, waiting for room when the queue is full (bounded by
    /// <see cref="EdgeAuditOptions.SequencedMaxWait"/>, after which it goes to the disk spool).
    /// </summary>
    ValueTask EmitAsync(AuditEvent auditEvent, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="DurabilityMode.Durable"/>: delivers the event to its ledger and returns true once the ledger has
    /// acknowledged it; false if that failed or did not happen within <see cref="EdgeAuditOptions.DurableTimeout"/>.
    /// </summary>
    Task<bool> AppendDurableAsync(AuditEvent auditEvent, CancellationToken cancellationToken);
}
