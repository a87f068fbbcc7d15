using Tenants.Abstractions.Audit;

namespace Tenants.Edge.Audit;

/// <summary>An event in the audit queue; <see cref="Acknowledged"/> is set for a durable one, whose sender waits for the ledger.</summary>
internal readonly record struct QueuedAuditEvent(AuditEvent Event, TaskCompletionSource<bool>? Acknowledged);
