using Tenants.Abstractions.Audit;

namespace Tenants.Edge.Audit;

/// <summary>One spooled batch: where it is, and its events.</summary>
internal sealed record SpoolRecord(long Segment, long Offset, long End, IReadOnlyList<AuditEvent> Events);
