namespace Tenants.Ledger.Index;

/// <summary>The answer to a <see cref="LedgerIndexQuery"/>.</summary>
/// <param name="Entries">The matching entries exactly as sealed, newest (highest leaf index) first.</param>
/// <param name="IndexedSize">How many of the tenant's entries the index holds (leaves 0 to this, exclusive).</param>
public sealed record LedgerIndexPage(IReadOnlyList<LedgerIndexEntry> Entries, long IndexedSize);
