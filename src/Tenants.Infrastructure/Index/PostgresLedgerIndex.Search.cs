using System.Runtime.CompilerServices;
using System.Text;
using Npgsql;
using Tenants.Ledger.Index;
using Tenants.Ledger.Storage;

namespace Tenants.Infrastructure.Index;

public sealed partial class PostgresLedgerIndex
{
    /// <summary>The most rows one search returns, whatever the query asks.</summary>
    public const int MaxLimit = 1000;

    private const string EntryColumns = "leaf_index, entry, fingerprint, block_first, block_last";

    /// <inheritdoc />
    public async Task<LedgerIndexPage> SearchAsync(string tenantId, LedgerIndexQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var scope = await TenantTransaction.BeginAsync(_dataSource, ReaderRole, tenantId, cancellationToken).ConfigureAwait(false);
        var span = await LeafSpanAsync(scope, tenantId, query, cancellationToken).ConfigureAwait(false);
        await using var command = scope.Command(string.Empty);
        var sql = Select(command, tenantId, query, EntryColumns + SortValueColumn(query.EffectiveSort), span);
        AppendPaging(command, sql, query);
        sql.Append(" LIMIT @limit");
        command.Parameters.Add(new NpgsqlParameter<int>("limit", Math.Clamp(query.Limit, 1, MaxLimit)));
        command.CommandText = sql.ToString();

        var entries = new List<LedgerIndexEntry>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                entries.Add(ReadEntry(reader));
            }
        }

        var indexedSize = await ReadIndexedSizeAsync(scope, tenantId, cancellationToken).ConfigureAwait(false);
        await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new LedgerIndexPage(entries, indexedSize);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<LedgerIndexEntry> StreamAsync(
        string tenantId, LedgerIndexQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var scope = await TenantTransaction.BeginAsync(_dataSource, ReaderRole, tenantId, cancellationToken).ConfigureAwait(false);
        var span = await LeafSpanAsync(scope, tenantId, query, cancellationToken).ConfigureAwait(false);
        await using var command = scope.Command(string.Empty);
        var sql = Select(command, tenantId, query, EntryColumns + SortValueColumn(query.EffectiveSort), span);
        AppendPaging(command, sql, query);
        command.CommandText = sql.ToString();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return ReadEntry(reader);
            }
        }

        await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<LedgerIndexEntry?> FindAsync(string tenantId, string? eventId, long? leafIndex, CancellationToken cancellationToken = default)
    {
        if (eventId is null && leafIndex is null)
        {
            return null;
        }

        await using var scope = await TenantTransaction.BeginAsync(_dataSource, ReaderRole, tenantId, cancellationToken).ConfigureAwait(false);
        await using var command = scope.Command(string.Empty);
        var sql = new StringBuilder($"SELECT {EntryColumns} FROM ledger_index_events WHERE tenant_id = @tenant");
        command.Parameters.Add(new NpgsqlParameter<string>("tenant", tenantId));
        Filter(command, sql, "event_id = @event_id", "event_id", eventId);
        Filter(command, sql, "leaf_index = @leaf", "leaf", leafIndex);
        // An id the ledger dropped as a retry is indexed once; should two leaves ever share one, the first is the event.
        sql.Append(" ORDER BY leaf_index LIMIT 1");
        command.CommandText = sql.ToString();
        LedgerIndexEntry? entry = null;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                entry = ReadEntry(reader);
            }
        }

        await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
        return entry;
    }

    /// <summary>
    /// <c>SELECT <paramref name="columns"/> FROM ledger_index_events WHERE</c> the tenant and every filter of
    /// <paramref name="query"/> except paging, every value a parameter.
    /// </summary>
    private static StringBuilder Select(NpgsqlCommand command, string tenantId, LedgerIndexQuery query, string columns, LeafSpan? span)
    {
        // The tenant condition is redundant with row-level security; it is here so the planner uses the indexes.
        var sql = new StringBuilder($"SELECT {columns} FROM ledger_index_events WHERE tenant_id = @tenant");
        command.Parameters.Add(new NpgsqlParameter<string>("tenant", tenantId));
        Filter(command, sql, "time >= @from", "from", query.From?.UtcDateTime);
        Filter(command, sql, "time < @to", "to", query.To?.UtcDateTime);
        AppendSpan(command, sql, span);
        Filter(command, sql, "endpoint_id = @endpoint", "endpoint", query.EndpointId);
        Filter(command, sql, "session_id = @session", "session", query.SessionId);
        Filter(command, sql, "person = @person", "person", query.Person);
        Filter(command, sql, "database_user = @user", "user", query.DatabaseUser);
        Filter(command, sql, "database = @database", "database", query.Database);
        Filter(command, sql, "(client_address = @client OR client_host = @client)", "client", query.ClientAddress);
        Filter(command, sql, "application = @application", "application", query.ApplicationName);
        Filter(command, sql, "statement_class = @class", "class", query.StatementClass);
        Filter(command, sql, "command_tag = @tag", "tag", query.CommandTag);
        Filter(command, sql, "sqlstate = @sqlstate", "sqlstate", query.SqlState);
        Filter(command, sql, "kind = @kind", "kind", query.Kind);
        Filter(command, sql, "event_id = @event_id", "event_id", query.EventId);
        Filter(command, sql, "duration_micros >= @min_duration", "min_duration", query.MinDurationMicros);
        Filter(command, sql, "duration_micros <= @max_duration", "max_duration", query.MaxDurationMicros);
        Filter(command, sql, "rows >= @min_rows", "min_rows", query.MinRows);
        Filter(command, sql, "rows <= @max_rows", "max_rows", query.MaxRows);
        Filter(command, sql, "fingerprint = @fingerprint", "fingerprint", query.Fingerprint);
        // websearch_to_tsquery accepts any text (unbalanced quotes, stray operators) without an error.
        Filter(command, sql, "sql_search @@ websearch_to_tsquery('simple', @q)", "q", query.Text);
        return sql;
    }

    /// <summary>The paging cursor and ORDER BY of the query's order; the column names are constants, never input.</summary>
    private static void AppendPaging(NpgsqlCommand command, StringBuilder sql, LedgerIndexQuery query)
    {
        switch (query.EffectiveSort)
        {
            case LedgerIndexSort.TimeAscending:
                Filter(command, sql, "leaf_index > @after", "after", query.After);
                Filter(command, sql, "leaf_index < @before", "before", query.Before);
                sql.Append(" ORDER BY leaf_index ASC");
                break;
            case LedgerIndexSort.DurationDescending or LedgerIndexSort.DurationAscending
                or LedgerIndexSort.RowsDescending or LedgerIndexSort.RowsAscending:
                var (column, ascending) = SortColumn(query.EffectiveSort);
                sql.Append(" AND ").Append(column).Append(" IS NOT NULL");
                Filter(command, sql, "leaf_index > @after", "after", query.After);
                Filter(command, sql, "leaf_index < @before", "before", query.Before);
                if (query is { CursorValue: { } value, CursorLeaf: { } leaf })
                {
                    sql.Append(" AND (").Append(column).Append(", leaf_index) ").Append(ascending ? '>' : '<').Append(" (@cursor_value, @cursor_leaf)");
                    command.Parameters.Add(new NpgsqlParameter<long>("cursor_value", value));
                    command.Parameters.Add(new NpgsqlParameter<long>("cursor_leaf", leaf));
                }

                sql.Append(" ORDER BY ").Append(column).Append(ascending ? " ASC, leaf_index ASC" : " DESC, leaf_index DESC");
                break;
            default:
                Filter(command, sql, "leaf_index < @before", "before", query.Before);
                Filter(command, sql, "leaf_index > @after", "after", query.After);
                sql.Append(" ORDER BY leaf_index DESC");
                break;
        }
    }

    private static (string Column, bool Ascending) SortColumn(LedgerIndexSort sort) => sort switch
    {
        LedgerIndexSort.DurationDescending => ("duration_micros", false),
        LedgerIndexSort.DurationAscending => ("duration_micros", true),
        LedgerIndexSort.RowsDescending => ("rows", false),
        LedgerIndexSort.RowsAscending => ("rows", true),
        _ => ("leaf_index", sort == LedgerIndexSort.TimeAscending),
    };

    private static string SortValueColumn(LedgerIndexSort sort) => ", " + SortColumn(sort).Column;

    private static LedgerIndexEntry ReadEntry(NpgsqlDataReader reader) => new(
        reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2))
    {
        Block = reader.IsDBNull(3) || reader.IsDBNull(4) ? null : new LedgerBlockName(reader.GetInt64(3), reader.GetInt64(4)),
        SortValue = reader.FieldCount > 5 && !reader.IsDBNull(5) ? reader.GetInt64(5) : null,
    };

    private static void Filter<T>(NpgsqlCommand command, StringBuilder sql, string condition, string name, T? value)
    {
        if (value is null)
        {
            return;
        }

        sql.Append(" AND ").Append(condition);
        command.Parameters.Add(new NpgsqlParameter<T>(name, value));
    }
}
