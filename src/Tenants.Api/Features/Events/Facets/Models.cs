namespace Tenants.Api.Features.Events.Facets;

/// <summary>Facet counts over the events matching the filters.</summary>
public sealed class EventFacetsRequest : EventFilterRequest
{
    /// <summary>
    /// Comma-separated fields: <c>kind</c>, <c>class</c>, <c>endpoint</c>, <c>user</c>, <c>person</c>, <c>sqlstate</c>,
    /// <c>tag</c> (default: all).
    /// </summary>
    public string? Fields { get; set; }

    /// <summary>How many values per field, most frequent first (1 to 100, default 10).</summary>
    public int? Top { get; set; }
}

/// <summary>How many events match, and per field its most frequent values.</summary>
public sealed class EventFacetsResponse
{
    public required long Total { get; init; }

    /// <summary>Per field asked for, its values with counts, most frequent first; events without a value are not counted.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<FacetValue>> Facets { get; init; }

    /// <summary>How many leading entries of the ledger are counted.</summary>
    public required long IndexedSize { get; init; }
}

/// <summary>One value and how many matching events have it.</summary>
public sealed class FacetValue
{
    public required string Value { get; init; }

    public required long Count { get; init; }
}
