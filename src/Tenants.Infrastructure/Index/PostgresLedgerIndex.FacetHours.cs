using Npgsql;
using Tenants.Ledger.Index;

namespace Tenants.Infrastructure.Index;

public sealed partial class PostgresLedgerIndex
{
    /// <summary>
    /// The whole UTC hours inside a facet query's range when the range is its only condition (then the per-hour
    /// counts of <c>ledger_index_facet_hours</c> answer for them), or null.
    /// </summary>
    private static (DateTimeOffset First, DateTimeOffset End)? WholeHours(LedgerIndexQuery query)
    {
        if (query is not { From: { } from, To: { } to }
            || query with { From = null, To = null, Before = null, After = null, OldestFirst = false, Sort = default, Limit = 50, CursorValue = null, CursorLeaf = null }
                != new LedgerIndexQuery())
        {
            return null;
        }

        var hour = TimeSpan.TicksPerHour;
        var first = new DateTimeOffset((from.UtcTicks + hour - 1) / hour * hour, TimeSpan.Zero);
        var end = new DateTimeOffset(to.UtcTicks / hour * hour, TimeSpan.Zero);
        return first < end ? (first, end) : null;
    }

    /// <summary>
    /// The (field, value, n) counts of a range: the hours' stored counts for [<paramref name="firstHour"/>,
    /// <paramref name="endHour"/>), plus the rows of the partial hours at the edges, each bounded by its leaf span.
    /// </summary>
    private static async Task<string> CountWithHoursAsync(
        TenantTransaction scope, NpgsqlCommand command, string tenantId, DateTimeOffset from, DateTimeOffset to,
        DateTimeOffset firstHour, DateTimeOffset endHour, IReadOnlyList<LedgerIndexFacetField> wanted, string columns, string pairs,
        CancellationToken cancellationToken)
    {
        var head = await LeafSpanAsync(scope, tenantId, new LedgerIndexQuery { From = from, To = firstHour }, cancellationToken).ConfigureAwait(false);
        var tail = await LeafSpanAsync(scope, tenantId, new LedgerIndexQuery { From = endHour, To = to }, cancellationToken).ConfigureAwait(false);
        command.Parameters.Add(new NpgsqlParameter<string>("tenant", tenantId));
        command.Parameters.Add(new NpgsqlParameter<DateTime>("from", from.UtcDateTime));
        command.Parameters.Add(new NpgsqlParameter<DateTime>("to", to.UtcDateTime));
        command.Parameters.Add(new NpgsqlParameter<DateTime>("first_hour", firstHour.UtcDateTime));
        command.Parameters.Add(new NpgsqlParameter<DateTime>("end_hour", endHour.UtcDateTime));
        command.Parameters.Add(new NpgsqlParameter<long>("head_first", head!.Value.First));
        command.Parameters.Add(new NpgsqlParameter<long>("head_last", head.Value.Last));
        command.Parameters.Add(new NpgsqlParameter<long>("tail_first", tail!.Value.First));
        command.Parameters.Add(new NpgsqlParameter<long>("tail_last", tail.Value.Last));
        // The stored rows name their column; map it to the field number the reader expects (column names are constants).
        var fieldNames = string.Join(", ", wanted.Select(f => $"('{FacetColumn(f)}', {(int)f})").Prepend("('*', -1)"));
        return $"""
            SELECT v.field, v.value, count(*) AS n
            FROM (
                SELECT {columns} FROM ledger_index_events
                WHERE tenant_id = @tenant AND time >= @from AND time < @first_hour AND leaf_index >= @head_first AND leaf_index <= @head_last
                UNION ALL
                SELECT {columns} FROM ledger_index_events
                WHERE tenant_id = @tenant AND time >= @end_hour AND time < @to AND leaf_index >= @tail_first AND leaf_index <= @tail_last) f
            CROSS JOIN LATERAL (VALUES {pairs}) AS v(field, value)
            WHERE v.value IS NOT NULL
            GROUP BY v.field, v.value
            UNION ALL
            SELECT m.field, h.value, sum(h.events) AS n
            FROM ledger_index_facet_hours h JOIN (VALUES {fieldNames}) AS m(name, field) ON m.name = h.field
            WHERE h.tenant_id = @tenant AND h.hour >= (@first_hour AT TIME ZONE 'UTC') AND h.hour < (@end_hour AT TIME ZONE 'UTC')
            GROUP BY m.field, h.value
            """;
    }
}
