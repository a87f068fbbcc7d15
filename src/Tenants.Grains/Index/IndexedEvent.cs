using Tenants.Abstractions.Audit;

namespace Tenants.Grains.Index;

/// <summary>An event read back from a sealed entry while indexing: its leaf index, the event and the stored bytes.</summary>
internal readonly record struct IndexedEvent(long LeafIndex, AuditEvent Event, ReadOnlyMemory<byte> Entry);
