namespace Tenants.Ledger.Index;

/// <summary>The answer to a <see cref="LedgerIndexSessionQuery"/>.</summary>
/// <param name="Sessions">The matching sessions, newest (highest first leaf) first.</param>
/// <param name="IndexedSize">How many of the tenant's entries the index holds.</param>
public sealed record LedgerIndexSessionPage(IReadOnlyList<LedgerIndexSession> Sessions, long IndexedSize);
