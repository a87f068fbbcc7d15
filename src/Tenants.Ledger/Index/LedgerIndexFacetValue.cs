namespace Tenants.Ledger.Index;

/// <summary>One value of a facet and how many matching events have it.</summary>
public sealed record LedgerIndexFacetValue(string Value, long Count);
