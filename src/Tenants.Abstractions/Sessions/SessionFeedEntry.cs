using Tenants.Abstractions.Audit;

namespace Tenants.Abstractions.Sessions;

/// <summary>One sealed entry of a session, as the indexer feeds it to the session grain.</summary>
/// <param name="LeafIndex">The entry's leaf index in the tenant's ledger.</param>
/// <param name="LeafHash">Its RFC 6962 leaf hash (32 bytes), which the session digest chains.</param>
/// <param name="Event">The event, read back from the entry (SQL text and parameter values left out).</param>
[GenerateSerializer]
[Immutable]
[Alias("tenants.session-feed-entry.v1")]
public sealed record SessionFeedEntry(
    [property: Id(0)] long LeafIndex,
    [property: Id(1)] byte[] LeafHash,
    [property: Id(2)] AuditEvent Event);
