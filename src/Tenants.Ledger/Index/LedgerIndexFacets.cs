namespace Tenants.Ledger.Index;

/// <summary>The facet counts of a search: per field, its most frequent values among the matching events.</summary>
/// <param name="Total">How many events match the search.</param>
/// <param name="Fields">Per field asked for, its values with counts, most frequent first (ties by value); events without a value are not counted.</param>
public sealed record LedgerIndexFacets(long Total, IReadOnlyDictionary<LedgerIndexFacetField, IReadOnlyList<LedgerIndexFacetValue>> Fields);
