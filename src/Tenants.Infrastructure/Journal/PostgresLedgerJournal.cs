using System.Runtime.CompilerServices;
using Npgsql;
using NpgsqlTypes;
using Tenants.Ledger.Storage;

namespace Tenants.Infrastructure.Journal;

/// <summary>
/// The journal in PostgreSQL (table <c>ledger_journal</c>, migration 0005): one row per record. The append is one
/// INSERT that succeeds only if the tenant's last row ends exactly at the first leaf (or the tenant has none), and the
/// primary key (tenant, first leaf) refuses a second writer: contiguity and the fence are the database's. Each append
/// commits with <c>synchronous_commit</c> on, so an acknowledged entry survives a crash of PostgreSQL.
/// </summary>
public sealed class PostgresLedgerJournal : ILedgerJournal, IAsyncDisposable
{
    /// <summary>The largest record one row holds (a bigger batch takes several rows, written in one transaction).</summary>
    public const int MaxRecordBytes = 64 << 20;

    private const string UniqueViolation = "23505";

    private const string AppendSql = """
        INSERT INTO ledger_journal (tenant_id, first_leaf, count, payload, sha256)
        SELECT @tenant, @first, @count, @payload, @sha256
        WHERE coalesce((SELECT first_leaf + count FROM ledger_journal WHERE tenant_id = @tenant ORDER BY first_leaf DESC LIMIT 1), @first) = @first
        """;

    private const string NextLeafSql = """
        SELECT first_leaf + count FROM ledger_journal WHERE tenant_id = @tenant ORDER BY first_leaf DESC LIMIT 1
        """;

    // From the record holding @from (the last one starting at or before it), or the first if none does.
    private const string ReadSql = """
        SELECT first_leaf, count, payload, sha256 FROM ledger_journal
        WHERE tenant_id = @tenant
          AND first_leaf >= coalesce((SELECT max(first_leaf) FROM ledger_journal WHERE tenant_id = @tenant AND first_leaf <= @from), 0)
        ORDER BY first_leaf
        """;

    private const string TrimSql = """
        DELETE FROM ledger_journal
        WHERE tenant_id = @tenant AND first_leaf < @below AND first_leaf + count <= @below
          AND first_leaf < (SELECT max(first_leaf) FROM ledger_journal WHERE tenant_id = @tenant)
        """;

    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private Task? _checked;

    /// <summary>
    /// Creates a journal over a data source of its own. Its connections must commit synchronously: see
    /// <see cref="CreateDataSource"/>; a data source whose commits are not durable is refused at the first append.
    /// </summary>
    public PostgresLedgerJournal(NpgsqlDataSource dataSource)
        : this(dataSource, ownsDataSource: false)
    {
    }

    private PostgresLedgerJournal(NpgsqlDataSource dataSource, bool ownsDataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
    }

    /// <summary>A journal over a data source of its own (<see cref="CreateDataSource"/>), disposed with it.</summary>
    public static PostgresLedgerJournal Create(string connectionString) => new(CreateDataSource(connectionString), ownsDataSource: true);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A data source for the journal over the platform's database (migrated by <c>PostgresMigrator</c>): every
    /// connection sets <c>synchronous_commit=on</c>, whatever the server's default, so an acknowledged entry is flushed
    /// to PostgreSQL's WAL before the append returns; statements are prepared automatically, and a pooled connection is
    /// not reset between appends (the journal sets no session state).
    /// </summary>
    public static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        var options = builder.ConnectionStringBuilder.Options;
        builder.ConnectionStringBuilder.Options = string.IsNullOrWhiteSpace(options) ? "-c synchronous_commit=on" : options + " -c synchronous_commit=on";
        builder.ConnectionStringBuilder.ApplicationName ??= "tenants-ledger-journal";
        if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0)
        {
            // The same four statements all day: parse and plan them once per connection.
            builder.ConnectionStringBuilder.MaxAutoPrepare = 8;
        }

        // The journal sets no session state, so the reset Npgsql sends when a pooled connection is reused (six
        // statements: CLOSE ALL, UNLISTEN, advisory unlocks, DISCARD SEQUENCES, RESET ALL, SET SESSION AUTHORIZATION)
        // would only cost the platform database CPU on every append.
        builder.ConnectionStringBuilder.NoResetOnClose = true;

        return builder.Build();
    }

    /// <inheritdoc />
    /// <remarks>A batch of several records is written in one transaction: all of it or none.</remarks>
    public async Task AppendAsync(string tenantId, long firstLeafIndex, IReadOnlyList<ReadOnlyMemory<byte>> entries, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentOutOfRangeException.ThrowIfNegative(firstLeafIndex);
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return;
        }

        var runs = LedgerJournalRecord.Plan(entries, MaxRecordBytes);
        await EnsureDurableCommitAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = runs.Count > 1 ? await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false) : null;
        var leaf = firstLeafIndex;
        try
        {
            foreach (var run in runs)
            {
                var (offset, count) = run.GetOffsetAndLength(entries.Count);
                var record = LedgerJournalRecord.Encode(leaf, entries.Skip(offset).Take(count).ToArray());
                await using var command = new NpgsqlCommand(AppendSql, connection, transaction);
                command.Parameters.Add(new NpgsqlParameter<string>("tenant", NpgsqlDbType.Text) { TypedValue = tenantId });
                command.Parameters.Add(new NpgsqlParameter<long>("first", NpgsqlDbType.Bigint) { TypedValue = leaf });
                command.Parameters.Add(new NpgsqlParameter<int>("count", NpgsqlDbType.Integer) { TypedValue = count });
                command.Parameters.Add(new NpgsqlParameter<ArraySegment<byte>>("payload", NpgsqlDbType.Bytea)
                {
                    TypedValue = new ArraySegment<byte>(record, LedgerJournalRecord.HeaderSize, record.Length - LedgerJournalRecord.HeaderSize),
                });
                command.Parameters.Add(new NpgsqlParameter<ArraySegment<byte>>("sha256", NpgsqlDbType.Bytea)
                {
                    TypedValue = new ArraySegment<byte>(record, LedgerJournalRecord.DigestOffset, LedgerJournalRecord.HeaderSize - LedgerJournalRecord.DigestOffset),
                });
                if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
                {
                    throw await RefusedAsync(connection, transaction, tenantId, leaf, cancellationToken).ConfigureAwait(false);
                }

                leaf += count;
            }

            if (transaction is not null)
            {
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (PostgresException ex) when (ex.SqlState == UniqueViolation)
        {
            throw new LedgerJournalConflictException(
                $"The journal of tenant '{tenantId}' already holds leaf {leaf}: another writer journaled it first.", ex);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<LedgerJournalEntry> ReadAsync(
        string tenantId, long fromLeafIndex, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentOutOfRangeException.ThrowIfNegative(fromLeafIndex);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(ReadSql, connection);
        command.Parameters.Add(new NpgsqlParameter<string>("tenant", NpgsqlDbType.Text) { TypedValue = tenantId });
        command.Parameters.Add(new NpgsqlParameter<long>("from", NpgsqlDbType.Bigint) { TypedValue = fromLeafIndex });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        long? next = null;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var first = reader.GetInt64(0);
            var count = reader.GetInt32(1);
            var payload = reader.GetFieldValue<byte[]>(2);
            var digest = reader.GetFieldValue<byte[]>(3);
            var name = $"ledger_journal({tenantId}, {first})";
            if (next is { } expected && first != expected)
            {
                throw new LedgerJournalFormatException($"{name} starts at leaf {first}, but the previous record ends before leaf {expected}: the journal has a gap.");
            }

            var segment = LedgerJournalRecord.ReadSegment(name, first, LedgerJournalRecord.Assemble(first, count, digest, payload));
            foreach (var entry in segment.Entries)
            {
                if (entry.LeafIndex >= fromLeafIndex)
                {
                    yield return entry;
                }
            }

            next = segment.NextLeafIndex;
        }
    }

    /// <inheritdoc />
    public async Task TrimAsync(string tenantId, long belowLeafIndex, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        await using var command = _dataSource.CreateCommand(TrimSql);
        command.Parameters.Add(new NpgsqlParameter<string>("tenant", NpgsqlDbType.Text) { TypedValue = tenantId });
        command.Parameters.Add(new NpgsqlParameter<long>("below", NpgsqlDbType.Bigint) { TypedValue = belowLeafIndex });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    // The INSERT added nothing: the tenant's journal ends elsewhere. Before our leaf, someone else wrote past it (a
    // conflict); after it, the caller would leave a gap (a bug).
    private static async Task<Exception> RefusedAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string tenantId, long leaf, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(NextLeafSql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string>("tenant", NpgsqlDbType.Text) { TypedValue = tenantId });
        var next = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as long?;
        return next is { } end && end < leaf
            ? new InvalidOperationException($"The journal of tenant '{tenantId}' ends before leaf {end}; appending from leaf {leaf} would leave a gap.")
            : new LedgerJournalConflictException(
                $"The journal of tenant '{tenantId}' already holds leaves up to {(next ?? leaf) - 1}; leaf {leaf} was journaled by another writer.");
    }

    // An acknowledged entry must survive a crash of PostgreSQL: refuse a database that acknowledges commits before
    // they are flushed. Checked once per process (a retry after a failed check checks again).
    private Task EnsureDurableCommitAsync(CancellationToken cancellationToken)
    {
        var check = Volatile.Read(ref _checked);
        if (check is { IsCompletedSuccessfully: true })
        {
            return Task.CompletedTask;
        }

        if (check is null || check.IsFaulted || check.IsCanceled)
        {
            var started = CheckDurableCommitAsync();
            check = Interlocked.CompareExchange(ref _checked, started, check) == check ? started : Volatile.Read(ref _checked)!;
        }

        return check.WaitAsync(cancellationToken);
    }

    private async Task CheckDurableCommitAsync()
    {
        await using var command = _dataSource.CreateCommand("SELECT current_setting('synchronous_commit')");
        if (await command.ExecuteScalarAsync(CancellationToken.None).ConfigureAwait(false) is "off")
        {
            throw new InvalidOperationException(
                "The PostgreSQL journal needs synchronous_commit on (or local, remote_write, remote_apply): with it off an acknowledged event "
                + "could be lost in a crash of PostgreSQL. Build its data source with PostgresLedgerJournal.CreateDataSource.");
        }
    }
}
