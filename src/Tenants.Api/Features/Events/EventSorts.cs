using System.Globalization;
using Tenants.Ledger.Index;

namespace Tenants.Api.Features.Events;

/// <summary>
/// The <c>sort</c> keys of the events API and its opaque paging cursor: <c>&lt;leaf&gt;</c> for the time orders,
/// <c>&lt;value&gt;.&lt;leaf&gt;</c> for the duration and rows orders.
/// </summary>
internal static class EventSorts
{
    public const string Keys = "time, -time, duration, -duration, rows, -rows";

    public static bool TryParse(string? key, out LedgerIndexSort sort)
    {
        sort = key switch
        {
            null or "-time" => LedgerIndexSort.TimeDescending,
            "time" => LedgerIndexSort.TimeAscending,
            "-duration" => LedgerIndexSort.DurationDescending,
            "duration" => LedgerIndexSort.DurationAscending,
            "-rows" => LedgerIndexSort.RowsDescending,
            "rows" => LedgerIndexSort.RowsAscending,
            _ => (LedgerIndexSort)(-1),
        };
        return Enum.IsDefined(sort);
    }

    /// <summary>The order of a key the validator has accepted.</summary>
    public static LedgerIndexSort Parse(string? key) =>
        TryParse(key, out var sort) ? sort : throw new ArgumentOutOfRangeException(nameof(key), key, $"sort must be one of {Keys}");

    public static bool IsTime(LedgerIndexSort sort) => sort is LedgerIndexSort.TimeDescending or LedgerIndexSort.TimeAscending;

    /// <summary>Reads a cursor for <paramref name="sort"/>; false for anything this API did not give out.</summary>
    public static bool TryParseCursor(string? cursor, LedgerIndexSort sort, out long? value, out long leaf)
    {
        value = null;
        leaf = 0;
        if (cursor is null or { Length: > 40 })
        {
            return false;
        }

        if (IsTime(sort))
        {
            return long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out leaf);
        }

        var dot = cursor.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0
            || !long.TryParse(cursor.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var v)
            || !long.TryParse(cursor.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out leaf))
        {
            return false;
        }

        value = v;
        return true;
    }

    public static string Cursor(LedgerIndexSort sort, LedgerIndexEntry last) =>
        IsTime(sort) || last.SortValue is not { } value
            ? last.LeafIndex.ToString(CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{value}.{last.LeafIndex}");

    /// <summary>The query with the order and the cursor applied.</summary>
    public static LedgerIndexQuery Apply(LedgerIndexQuery query, LedgerIndexSort sort, string? cursor)
    {
        query = query with { Sort = sort };
        if (!TryParseCursor(cursor, sort, out var value, out var leaf))
        {
            return query;
        }

        return sort switch
        {
            LedgerIndexSort.TimeDescending => query with { Before = leaf },
            LedgerIndexSort.TimeAscending => query with { After = leaf },
            _ => query with { CursorValue = value, CursorLeaf = leaf },
        };
    }
}
