using Npgsql;
using NpgsqlTypes;
using Tenants.Ledger.Index;

namespace Tenants.Infrastructure.Index;

/// <summary>
/// The search index in PostgreSQL (tables <c>ledger_index_events</c> and <c>ledger_index_cursors</c>, migration 0004;
/// <c>ledger_index_sessions</c>, kept by a trigger on the events, migration 0006).
/// Every transaction first switches to a role that owns nothing (<c>tenants_index_reader</c> to search,
/// <c>tenants_index_writer</c> to index) and sets <c>app.tenant_id</c>; row-level security then shows and accepts
/// only that tenant's rows, so a query that forgets its tenant filter still cannot reach another tenant.
/// </summary>
public sealed partial class PostgresLedgerIndex : ILedgerIndexReader, ILedgerIndexWriter
{
    /// <summary>The role searches run as.</summary>
    public const string ReaderRole = "tenants_index_reader";

    /// <summary>The role the indexer runs as.</summary>
    public const string WriterRole = "tenants_index_writer";

    /// <summary>The setting row-level security compares each row's tenant with.</summary>
    public const string TenantSetting = "app.tenant_id";

    private const string InsertSql = """
        INSERT INTO ledger_index_events
            (tenant_id, leaf_index, event_id, kind, time, endpoint_id, session_id, person, database_user, database,
             client_address, client_host, application, statement_class, command_tag, rows, sqlstate, duration_micros,
             sql, fingerprint, entry, block_first, block_last)
        SELECT @tenant, r.*
        FROM unnest(@leaf_index, @event_id, @kind, @time, @endpoint_id, @session_id, @person, @database_user, @database,
                    @client_address, @client_host, @application, @statement_class, @command_tag, @rows, @sqlstate,
                    @duration_micros, @sql, @fingerprint, @entry, @block_first, @block_last) AS r
        ON CONFLICT (tenant_id, leaf_index) DO NOTHING
        """;

    private const string AdvanceCursorSql = """
        INSERT INTO ledger_index_cursors AS c (tenant_id, indexed_size) VALUES (@tenant, CASE WHEN @from = 0 THEN @size ELSE 0 END)
        ON CONFLICT (tenant_id) DO UPDATE
            SET indexed_size = CASE WHEN @from <= c.indexed_size THEN GREATEST(c.indexed_size, @size) ELSE c.indexed_size END,
                updated_at = now()
        RETURNING indexed_size
        """;

    private readonly NpgsqlDataSource _dataSource;

    /// <summary>Creates the index over <paramref name="dataSource"/>, whose user must be a member of both roles.</summary>
    public PostgresLedgerIndex(NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
    }

    /// <inheritdoc />
    public async Task<long> GetIndexedSizeAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        await using var scope = await TenantTransaction.BeginAsync(_dataSource, WriterRole, tenantId, cancellationToken).ConfigureAwait(false);
        var size = await ReadIndexedSizeAsync(scope, tenantId, cancellationToken).ConfigureAwait(false);
        await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
        return size;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Commits without waiting for the WAL flush (<c>synchronous_commit = off</c>): rows and cursor are derived from
    /// sealed blocks and commit together, so a crash of PostgreSQL can lose only a tail of both, which leaves the cursor
    /// where the surviving rows end; the indexer finds the cursor behind what it expected and indexes the tail again
    /// from storage. The next synchronous commit on the server (a journal append, a grain state write) flushes it anyway.
    /// </remarks>
    public async Task<long> AddAsync(string tenantId, IReadOnlyList<LedgerIndexRow> rows, long fromIndex, long toSize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        await using var scope = await TenantTransaction.BeginAsync(_dataSource, WriterRole, tenantId, deferredCommit: true, cancellationToken).ConfigureAwait(false);
        if (rows.Count > 0)
        {
            await using var insert = scope.Command(InsertSql);
            insert.Parameters.Add(new NpgsqlParameter<string>("tenant", tenantId));
            Array(insert, "leaf_index", rows, r => r.LeafIndex);
            Text(insert, "event_id", rows, r => r.EventId);
            Text(insert, "kind", rows, r => r.Kind);
            Array(insert, "time", rows, r => r.Time.UtcDateTime, NpgsqlDbType.TimestampTz);
            Text(insert, "endpoint_id", rows, r => r.EndpointId);
            Text(insert, "session_id", rows, r => r.SessionId);
            Text(insert, "person", rows, r => r.Person);
            Text(insert, "database_user", rows, r => r.DatabaseUser);
            Text(insert, "database", rows, r => r.Database);
            Text(insert, "client_address", rows, r => r.ClientAddress);
            Text(insert, "client_host", rows, r => r.ClientHost);
            Text(insert, "application", rows, r => r.ApplicationName);
            Text(insert, "statement_class", rows, r => r.StatementClass);
            Text(insert, "command_tag", rows, r => r.CommandTag);
            Array(insert, "rows", rows, r => r.Rows);
            Text(insert, "sqlstate", rows, r => r.SqlState);
            Array(insert, "duration_micros", rows, r => r.DurationMicros);
            Text(insert, "sql", rows, r => r.Sql);
            Text(insert, "fingerprint", rows, r => r.Fingerprint);
            Text(insert, "entry", rows, r => r.Entry);
            Array(insert, "block_first", rows, r => r.Block?.FirstIndex);
            Array(insert, "block_last", rows, r => r.Block?.LastIndex);
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var advance = scope.Command(AdvanceCursorSql);
        advance.Parameters.Add(new NpgsqlParameter<string>("tenant", tenantId));
        advance.Parameters.Add(new NpgsqlParameter<long>("from", fromIndex));
        advance.Parameters.Add(new NpgsqlParameter<long>("size", toSize));
        var size = (long)(await advance.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
        return size;
    }

    /// <inheritdoc />
    public async Task ClearAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        await using var scope = await TenantTransaction.BeginAsync(_dataSource, WriterRole, tenantId, cancellationToken).ConfigureAwait(false);
        foreach (var sql in (string[])[
            "DELETE FROM ledger_index_events WHERE tenant_id = @tenant",
            "DELETE FROM ledger_index_sessions WHERE tenant_id = @tenant",
            "DELETE FROM ledger_index_minutes WHERE tenant_id = @tenant",
            "DELETE FROM ledger_index_facet_hours WHERE tenant_id = @tenant",
            "DELETE FROM ledger_index_cursors WHERE tenant_id = @tenant"])
        {
            await using var delete = scope.Command(sql);
            delete.Parameters.Add(new NpgsqlParameter<string>("tenant", tenantId));
            await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> ListTenantsAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = await TenantTransaction.BeginAsync(_dataSource, WriterRole, tenantId: null, cancellationToken).ConfigureAwait(false);
        await using var command = scope.Command("SELECT tenant_id FROM ledger_index_cursors ORDER BY tenant_id");
        var tenants = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                tenants.Add(reader.GetString(0));
            }
        }

        await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
        return tenants;
    }

    private static async Task<long> ReadIndexedSizeAsync(TenantTransaction scope, string tenantId, CancellationToken cancellationToken)
    {
        // The tenant condition matters here: the writer role may list every tenant's cursor.
        await using var command = scope.Command("SELECT coalesce(max(indexed_size), 0) FROM ledger_index_cursors WHERE tenant_id = @tenant");
        command.Parameters.Add(new NpgsqlParameter<string>("tenant", tenantId));
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private static void Array<T>(NpgsqlCommand command, string name, IReadOnlyList<LedgerIndexRow> rows, Func<LedgerIndexRow, T> select, NpgsqlDbType? type = null)
    {
        var values = new T[rows.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = select(rows[i]);
        }

        var parameter = new NpgsqlParameter<T[]>(name, values);
        if (type is { } elementType)
        {
            parameter.NpgsqlDbType = NpgsqlDbType.Array | elementType;
        }

        command.Parameters.Add(parameter);
    }

    // PostgreSQL text cannot hold NUL; the entry column keeps the exact event (JSON escapes it), the copies drop it.
    private static void Text(NpgsqlCommand command, string name, IReadOnlyList<LedgerIndexRow> rows, Func<LedgerIndexRow, string?> select) =>
        Array(command, name, rows, r => select(r)?.Replace('\0', '\uFFFD'), NpgsqlDbType.Text);
}
