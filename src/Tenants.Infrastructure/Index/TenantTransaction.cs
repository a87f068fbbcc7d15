using Npgsql;

namespace Tenants.Infrastructure.Index;

/// <summary>
/// A connection and transaction confined to one tenant: <c>SET LOCAL ROLE</c> to a role that owns nothing, and
/// <c>app.tenant_id</c> set for this transaction only, so that nothing leaks to the next user of the pooled connection.
/// </summary>
internal sealed class TenantTransaction : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;

    private TenantTransaction(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    /// <param name="dataSource">Where to open the connection.</param>
    /// <param name="role">One of the two index roles; a constant, never user input.</param>
    /// <param name="tenantId">The tenant, or <see langword="null"/> to set none (then no tenant's rows are visible).</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    public static Task<TenantTransaction> BeginAsync(NpgsqlDataSource dataSource, string role, string? tenantId, CancellationToken cancellationToken) =>
        BeginAsync(dataSource, role, tenantId, deferredCommit: false, cancellationToken);

    /// <param name="dataSource">Where to open the connection.</param>
    /// <param name="role">One of the two index roles; a constant, never user input.</param>
    /// <param name="tenantId">The tenant, or <see langword="null"/> to set none (then no tenant's rows are visible).</param>
    /// <param name="deferredCommit">
    /// Commit without waiting for the WAL flush (<c>SET LOCAL synchronous_commit = off</c>): only for derived data that
    /// is found again after a crash, whose loss can never be observed as anything but lag.
    /// </param>
    /// <param name="cancellationToken">Cancels opening.</param>
    public static async Task<TenantTransaction> BeginAsync(
        NpgsqlDataSource dataSource, string role, string? tenantId, bool deferredCommit, CancellationToken cancellationToken)
    {
        if (role is not (PostgresLedgerIndex.ReaderRole or PostgresLedgerIndex.WriterRole))
        {
            throw new ArgumentOutOfRangeException(nameof(role), role, "not an index role");
        }

        if (tenantId is not null)
        {
            ArgumentException.ThrowIfNullOrEmpty(tenantId);
        }

        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var setup = deferredCommit
                ? $"SET LOCAL ROLE {role}; SET LOCAL synchronous_commit = off; SELECT set_config('{PostgresLedgerIndex.TenantSetting}', @tenant, true)"
                : $"SET LOCAL ROLE {role}; SELECT set_config('{PostgresLedgerIndex.TenantSetting}', @tenant, true)";
            await using (var command = new NpgsqlCommand(setup, connection, transaction))
            {
                command.Parameters.Add(new NpgsqlParameter<string>("tenant", tenantId ?? string.Empty));
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            return new TenantTransaction(connection, transaction);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public NpgsqlCommand Command(string sql) => new(sql, _connection, _transaction);

    public Task CommitAsync(CancellationToken cancellationToken) => _transaction.CommitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync().ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
    }
}
