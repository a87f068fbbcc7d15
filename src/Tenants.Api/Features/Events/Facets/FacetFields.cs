using Tenants.Ledger.Index;

namespace Tenants.Api.Features.Events.Facets;

/// <summary>The facet field names of the API (the same names as the filters).</summary>
internal static class FacetFields
{
    private static readonly (string Name, LedgerIndexFacetField Field)[] _all =
    [
        ("kind", LedgerIndexFacetField.Kind), ("class", LedgerIndexFacetField.StatementClass), ("endpoint", LedgerIndexFacetField.Endpoint),
        ("user", LedgerIndexFacetField.DatabaseUser), ("person", LedgerIndexFacetField.Person), ("sqlstate", LedgerIndexFacetField.SqlState),
        ("tag", LedgerIndexFacetField.CommandTag),
    ];

    public static IEnumerable<string> Names => _all.Select(f => f.Name);

    public static string Name(LedgerIndexFacetField field) => _all.First(f => f.Field == field).Name;

    /// <summary>The fields of a comma-separated list (all when <see langword="null"/>), or <see langword="null"/> if one is unknown.</summary>
    public static List<LedgerIndexFacetField>? Parse(string? list)
    {
        if (list is null)
        {
            return [.. _all.Select(f => f.Field)];
        }

        var fields = new List<LedgerIndexFacetField>();
        foreach (var name in list.Split(',', StringSplitOptions.TrimEntries))
        {
            var match = _all.FirstOrDefault(f => f.Name == name);
            if (match.Name is null)
            {
                return null;
            }

            if (!fields.Contains(match.Field))
            {
                fields.Add(match.Field);
            }
        }

        return fields;
    }
}
