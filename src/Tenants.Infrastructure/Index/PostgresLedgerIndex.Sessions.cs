using System.Text;
using Npgsql;
using Tenants.Ledger.Index;

namespace Tenants.Infrastructure.Index;

public sealed partial class PostgresLedgerIndex
{
    private const string SessionColumns = """
        session_id, endpoint_id, person, database_user, database, client_address, application, first_leaf, last_leaf,
        first_time, last_time, entries, statements, errors, rows, login_outcome, ended, ended_time
        """;

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> ListUnsummarizedSessionsAsync(
        string tenantId, DateTimeOffset since, DateTimeOffset quietBefore, DateTimeOffset endedBefore, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var scope = await TenantTransaction.BeginAsync(_dataSource, WriterRole, tenantId, cancellationToken).ConfigureAwait(false);
        // NOT summarized and the last_time range use the partial index ledger_index_sessions_unsummarized (migration 0009).
        await using var command = scope.Command("""
            SELECT session_id FROM ledger_index_sessions
            WHERE tenant_id = @tenant AND NOT summarized AND last_time >= @since
              AND (CASE WHEN ended_time IS NULL THEN last_time < @quiet ELSE ended_time < @ended END)
            ORDER BY last_time LIMIT @limit
            """);
        command.Parameters.Add(new NpgsqlParameter<string>("tenant", tenantId));
        command.Parameters.Add(new NpgsqlParameter<DateTime>("since", since.UtcDateTime));
        command.Parameters.Add(new NpgsqlParameter<DateTime>("quiet", quietBefore.UtcDateTime));
        command.Parameters.Add(new NpgsqlParameter<DateTime>("ended", endedBefore.UtcDateTime));
        command.Parameters.Add(new NpgsqlParameter<int>("limit", limit));
        var sessions = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                sessions.Add(reader.GetString(0));
            }
        }

        await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
        return sessions;
    }

    /// <inheritdoc />
    public async Task<LedgerIndexSessionPage> SearchSessionsAsync(string tenantId, LedgerIndexSessionQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var scope = await TenantTransaction.BeginAsync(_dataSource, ReaderRole, tenantId, cancellationToken).ConfigureAwait(false);
        await using var command = scope.Command(string.Empty);

        // The tenant condition is redundant with row-level security; it is here so the planner uses the indexes.
        var sql = new StringBuilder($"SELECT {SessionColumns} FROM ledger_index_sessions WHERE tenant_id = @tenant");
        command.Parameters.Add(new NpgsqlParameter<string>("tenant", tenantId));
        Filter(command, sql, "last_time >= @from", "from", query.From?.UtcDateTime);
        Filter(command, sql, "first_time < @to", "to", query.To?.UtcDateTime);
        Filter(command, sql, "endpoint_id = @endpoint", "endpoint", query.EndpointId);
        Filter(command, sql, "person = @person", "person", query.Person);
        Filter(command, sql, "database_user = @user", "user", query.DatabaseUser);
        Filter(command, sql, "database = @database", "database", query.Database);
        Filter(command, sql, "(client_address = @client OR client_host = @client)", "client", query.ClientAddress);
        Filter(command, sql, "login_outcome = @login", "login", query.Login);
        Filter(command, sql, "first_leaf < @before", "before", query.Before);
        if (query.Ended is { } ended)
        {
            sql.Append(ended ? " AND ended IS NOT NULL" : " AND ended IS NULL");
        }

        sql.Append(" ORDER BY first_leaf DESC LIMIT @limit");
        command.Parameters.Add(new NpgsqlParameter<int>("limit", Math.Clamp(query.Limit, 1, MaxLimit)));
        command.CommandText = sql.ToString();

        var sessions = new List<LedgerIndexSession>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                sessions.Add(new LedgerIndexSession
                {
                    SessionId = reader.GetString(0),
                    EndpointId = Text(reader, 1),
                    Person = Text(reader, 2),
                    DatabaseUser = Text(reader, 3),
                    Database = Text(reader, 4),
                    ClientAddress = Text(reader, 5),
                    ApplicationName = Text(reader, 6),
                    FirstLeaf = reader.GetInt64(7),
                    LastLeaf = reader.GetInt64(8),
                    FirstTime = Time(reader, 9)!.Value,
                    LastTime = Time(reader, 10)!.Value,
                    Entries = reader.GetInt64(11),
                    Statements = reader.GetInt64(12),
                    Errors = reader.GetInt64(13),
                    Rows = reader.GetInt64(14),
                    Login = Text(reader, 15),
                    Ended = Text(reader, 16),
                    EndedTime = Time(reader, 17),
                });
            }
        }

        var indexedSize = await ReadIndexedSizeAsync(scope, tenantId, cancellationToken).ConfigureAwait(false);
        await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new LedgerIndexSessionPage(sessions, indexedSize);
    }

    private static string? Text(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static DateTimeOffset? Time(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : new DateTimeOffset(reader.GetDateTime(ordinal), TimeSpan.Zero);
}
