using System.Text;
using Npgsql;
using Tenants.Ledger.Index;

namespace Tenants.Infrastructure.Index;

public sealed partial class PostgresLedgerIndex
{
    /// <summary>
    /// The leaves that hold every entry of the query's time range: the span of its minutes in
    /// <c>ledger_index_minutes</c> (migration 0007), or null when the query has no time range. A range with no events
    /// gets an empty span, so the search it bounds reads nothing.
    /// </summary>
    private static async Task<LeafSpan?> LeafSpanAsync(TenantTransaction scope, string tenantId, LedgerIndexQuery query, CancellationToken cancellationToken)
    {
        if (query.From is null && query.To is null)
        {
            return null;
        }

        await using var command = scope.Command(string.Empty);
        var sql = new StringBuilder("SELECT min(first_leaf), max(last_leaf) FROM ledger_index_minutes WHERE tenant_id = @tenant");
        command.Parameters.Add(new NpgsqlParameter<string>("tenant", tenantId));
        // A minute holds the times [minute, minute + 1 min): it meets [from, to) when minute >= trunc(from) and minute < to.
        Filter(command, sql, "minute >= date_trunc('minute', @from AT TIME ZONE 'UTC')", "from", query.From?.UtcDateTime);
        Filter(command, sql, "minute < (@to AT TIME ZONE 'UTC')", "to", query.To?.UtcDateTime);
        command.CommandText = sql.ToString();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) && !reader.IsDBNull(0)
            ? new LeafSpan(reader.GetInt64(0), reader.GetInt64(1))
            : LeafSpan.Empty;
    }

    /// <summary>Adds the span to a query's conditions, so the planner walks the primary key inside it.</summary>
    private static void AppendSpan(NpgsqlCommand command, StringBuilder sql, LeafSpan? span)
    {
        if (span is not { } s)
        {
            return;
        }

        sql.Append(" AND leaf_index >= @span_first AND leaf_index <= @span_last");
        command.Parameters.Add(new NpgsqlParameter<long>("span_first", s.First));
        command.Parameters.Add(new NpgsqlParameter<long>("span_last", s.Last));
    }

    /// <summary>First and last leaf, inclusive; <see cref="Empty"/> holds none.</summary>
    private readonly record struct LeafSpan(long First, long Last)
    {
        public static LeafSpan Empty => new(0, -1);
    }
}
