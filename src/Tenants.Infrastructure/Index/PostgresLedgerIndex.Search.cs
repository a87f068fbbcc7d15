using System.Text;
using Npgsql;
using Tenants.Ledger.Index;

namespace Tenants.Infrastructure.Index;

public sealed partial class PostgresLedgerIndex
{
    /// <summary>The most rows one search returns, whatever the query asks.</summary>
    public const int MaxLimit = 1000;

    /// <inheritdoc />
    public async Task<LedgerIndexPage> SearchAsync(string tenantId, LedgerIndexQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var scope = await TenantTransaction.BeginAsync(_dataSource, ReaderRole, tenantId, cancellationToken).ConfigureAwait(false);
        await using var command = scope.Command(string.Empty);

        // The tenant condition is redundant with row-level security; it is here so the planner uses the indexes.
        var sql = new StringBuilder("SELECT leaf_index, entry, fingerprint FROM ledger_index_events WHERE tenant_id = @tenant");
        command.Parameters.Add(new NpgsqlParameter<string>("tenant", tenantId));
        Filter(command, sql, "time >= @from", "from", query.From?.UtcDateTime);
        Filter(command, sql, "time < @to", "to", query.To?.UtcDateTime);
        Filter(command, sql, "endpoint_id = @endpoint", "endpoint", query.EndpointId);
        Filter(command, sql, "session_id = @session", "session", query.SessionId);
        Filter(command, sql, "person = @person", "person", query.Person);
        Filter(command, sql, "database_user = @user", "user", query.DatabaseUser);
        Filter(command, sql, "database = @database", "database", query.Database);
        Filter(command, sql, "(client_address = @client OR client_host = @client)", "client", query.ClientAddress);
        Filter(command, sql, "statement_class = @class", "class", query.StatementClass);
        Filter(command, sql, "sqlstate = @sqlstate", "sqlstate", query.SqlState);
        Filter(command, sql, "kind = @kind", "kind", query.Kind);
        Filter(command, sql, "duration_micros >= @min_duration", "min_duration", query.MinDurationMicros);
        Filter(command, sql, "rows >= @min_rows", "min_rows", query.MinRows);
        Filter(command, sql, "fingerprint = @fingerprint", "fingerprint", query.Fingerprint);
        // websearch_to_tsquery accepts any text (unbalanced quotes, stray operators) without an error.
        Filter(command, sql, "sql_search @@ websearch_to_tsquery('simple', @q)", "q", query.Text);
        Filter(command, sql, "leaf_index < @before", "before", query.Before);
        Filter(command, sql, "leaf_index > @after", "after", query.After);
        sql.Append(query.OldestFirst ? " ORDER BY leaf_index ASC LIMIT @limit" : " ORDER BY leaf_index DESC LIMIT @limit");
        command.Parameters.Add(new NpgsqlParameter<int>("limit", Math.Clamp(query.Limit, 1, MaxLimit)));
        command.CommandText = sql.ToString();

        var entries = new List<LedgerIndexEntry>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                entries.Add(new LedgerIndexEntry(reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
            }
        }

        var indexedSize = await ReadIndexedSizeAsync(scope, tenantId, cancellationToken).ConfigureAwait(false);
        await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new LedgerIndexPage(entries, indexedSize);
    }

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
