using Xunit;

namespace Tenants.Testing;

/// <summary>
/// xunit fixture owning one <see cref="PostgresServer"/> for a test class or collection. Give each test its own database
/// with <see cref="CreateDatabaseAsync"/> so tests never see each other's rows.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private PostgresServer? _server;
    private int _databaseCounter;

    /// <summary>The running server; available after <see cref="InitializeAsync"/>.</summary>
    public PostgresServer Server => _server ?? throw new InvalidOperationException("The PostgreSQL fixture has not been initialised.");

    /// <inheritdoc cref="PostgresServer.ConnectionString"/>
    public string ConnectionString => Server.ConnectionString;

    /// <inheritdoc cref="PostgresServer.BinDirectory"/>
    public string BinDirectory => Server.BinDirectory;

    /// <inheritdoc cref="PostgresServer.CreateDatabaseAsync"/>
    public Task<string> CreateDatabaseAsync(string name, CancellationToken cancellationToken = default) =>
        Server.CreateDatabaseAsync(name, cancellationToken);

    /// <summary>Creates a database with a unique name built from <paramref name="prefix"/>.</summary>
    public Task<string> CreateUniqueDatabaseAsync(string prefix = "test", CancellationToken cancellationToken = default)
    {
        var name = $"{prefix}_{Interlocked.Increment(ref _databaseCounter)}_{Guid.NewGuid():N}";
        return Server.CreateDatabaseAsync(name[..Math.Min(63, name.Length)], cancellationToken);
    }

    /// <inheritdoc />
    public async Task InitializeAsync() => _server = await PostgresServer.StartAsync().ConfigureAwait(false);

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }
    }
}
