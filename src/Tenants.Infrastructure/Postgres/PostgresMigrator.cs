using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Tenants.Infrastructure.Postgres;

/// <summary>
/// Applies the versioned SQL migrations embedded in this assembly (<c>Postgres/Migrations/NNNN_name.sql</c>) in
/// version order, each in its own transaction, recording them in <c>schema_migrations</c>. Safe to run from every
/// node at start-up: starters are serialised with a transaction-scoped advisory lock, and re-running applies nothing.
/// Refuses to run when an applied migration's script has changed since it was applied.
/// </summary>
public sealed partial class PostgresMigrator
{
    // "Tenants" in ASCII: the advisory lock every Tenants migrator takes, whatever the database.
    private const long AdvisoryLockKey = 0x54656E616E7473;

    private const string CreateHistoryTableSql = """
        CREATE TABLE IF NOT EXISTS schema_migrations
        (
            version    integer     PRIMARY KEY,
            name       text        NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now(),
            checksum   text        NOT NULL
        );
        """;

    private readonly IReadOnlyList<PostgresMigration> _migrations;
    private readonly ILogger _logger;

    /// <summary>Creates a migrator that does not log.</summary>
    public PostgresMigrator()
        : this(NullLogger<PostgresMigrator>.Instance)
    {
    }

    /// <summary>Creates a migrator that logs each migration it applies.</summary>
    public PostgresMigrator(ILogger<PostgresMigrator> logger)
        : this(PostgresMigration.LoadEmbedded(typeof(PostgresMigrator).Assembly), logger)
    {
    }

    internal PostgresMigrator(IReadOnlyList<PostgresMigration> migrations, ILogger logger)
    {
        _migrations = [.. migrations.OrderBy(m => m.Version)];
        _logger = logger;
    }

    /// <summary>Applies every migration not yet recorded in <c>schema_migrations</c>.</summary>
    /// <returns>How many migrations this call applied (0 when the schema was already current).</returns>
    /// <exception cref="InvalidOperationException">An applied migration's script differs from the one recorded.</exception>
    public async Task<int> ApplyAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

        IReadOnlyDictionary<int, string> applied;
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
        {
            await LockAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, CreateHistoryTableSql, cancellationToken).ConfigureAwait(false);
            applied = await ReadAppliedAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        VerifyChecksums(applied);

        var count = 0;
        foreach (var migration in _migrations.Where(m => !applied.ContainsKey(m.Version)))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await LockAsync(connection, transaction, cancellationToken).ConfigureAwait(false);

            // Another starter may have applied it while we waited for the lock.
            var current = await ReadAppliedAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            if (current.ContainsKey(migration.Version))
            {
                VerifyChecksums(current);
                continue;
            }

            await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken).ConfigureAwait(false);
            await using (var record = new NpgsqlCommand(
                "INSERT INTO schema_migrations (version, name, checksum) VALUES (@version, @name, @checksum)", connection, transaction))
            {
                record.Parameters.AddWithValue("version", migration.Version);
                record.Parameters.AddWithValue("name", migration.Name);
                record.Parameters.AddWithValue("checksum", migration.Checksum);
                await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            LogMigrationApplied(migration.Version, migration.Name);
            count++;
        }

        if (count > 0)
        {
            // Migrations can create types and functions; pooled connections cache type metadata.
            await connection.ReloadTypesAsync(cancellationToken).ConfigureAwait(false);
        }

        return count;
    }

    private void VerifyChecksums(IReadOnlyDictionary<int, string> applied)
    {
        foreach (var migration in _migrations)
        {
            if (applied.TryGetValue(migration.Version, out var checksum) && !string.Equals(checksum, migration.Checksum, StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException(
                    $"Migration {migration.Version:D4}_{migration.Name}.sql was changed after it was applied to this database "
                    + $"(recorded checksum {checksum}, file checksum {migration.Checksum}). Applied migrations must never be edited: "
                    + "restore the original file and add a new migration with the change.");
            }
        }
    }

    private static async Task LockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction);
        command.Parameters.AddWithValue("key", AdvisoryLockKey);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyDictionary<int, string>> ReadAppliedAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var applied = new Dictionary<int, string>();
        await using var command = new NpgsqlCommand("SELECT version, checksum FROM schema_migrations", connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            applied.Add(reader.GetInt32(0), reader.GetString(1));
        }

        return applied;
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Applied PostgreSQL migration {Version:D4} {Name}")]
    private partial void LogMigrationApplied(int version, string name);
}
