namespace Tenants.Ledger.Entries;

/// <summary>
/// The fixed leading properties of every ledger entry. They bind the entry to one ledger (origin), one tenant and
/// one leaf position, so an entry copied into another ledger or position no longer verifies.
/// </summary>
/// <param name="Origin">The ledger's origin (the checkpoint origin line).</param>
/// <param name="TenantId">The tenant the entry belongs to.</param>
/// <param name="LeafIndex">The entry's position in the tenant's tree, from 0.</param>
/// <param name="Time">When the event was accepted; stored in UTC with microsecond precision.</param>
/// <param name="Kind">The event type, e.g. <c>statement</c>.</param>
public readonly record struct LedgerEntryHeader(string Origin, string TenantId, long LeafIndex, DateTimeOffset Time, string Kind);
