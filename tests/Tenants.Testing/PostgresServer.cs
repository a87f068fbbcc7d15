using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Npgsql;
using Testcontainers.PostgreSql;

namespace Tenants.Testing;

/// <summary>
/// A real, throwaway PostgreSQL server for tests: a container when a Docker engine answers, otherwise a cluster made with
/// the machine's own binaries (<c>initdb</c> + <c>pg_ctl</c>) in a temporary folder on a free port of 127.0.0.1.
/// Disposing stops it and deletes its data; a process-exit hook does the same if a test run dies first.
/// </summary>
public sealed partial class PostgresServer : IAsyncDisposable
{
    /// <summary>The superuser every server is created with.</summary>
    public const string SuperuserName = "postgres";

    private const string ContainerImage = "postgres:17-alpine";
    private static readonly TimeSpan _readyTimeout = TimeSpan.FromSeconds(60);

    private readonly LocalPostgresCluster? _local;
    private readonly PostgreSqlContainer? _container;
    private readonly EventHandler _processExitHandler;
    private int _disposed;

    private PostgresServer(string host, int port, string password, string binDirectory, LocalPostgresCluster? local, PostgreSqlContainer? container)
    {
        Host = host;
        Port = port;
        Password = password;
        BinDirectory = binDirectory;
        _local = local;
        _container = container;
        ConnectionString = BuildConnectionString(SuperuserName);
        _processExitHandler = (_, _) => _local?.Stop();
        AppDomain.CurrentDomain.ProcessExit += _processExitHandler;
    }

    /// <summary>Host name or address to connect to.</summary>
    public string Host { get; }

    /// <summary>TCP port the server listens on.</summary>
    public int Port { get; }

    /// <summary>The superuser name (<see cref="SuperuserName"/>).</summary>
    public string Username => SuperuserName;

    /// <summary>The superuser's random password (SCRAM-SHA-256 over TCP).</summary>
    public string Password { get; }

    /// <summary>An Npgsql connection string for the superuser to the <c>postgres</c> database.</summary>
    public string ConnectionString { get; }

    /// <summary>
    /// The folder with the client programs (<c>psql</c>, <c>pgbench</c>, <c>pg_ctl</c>). In container mode this is the local
    /// installation's folder when there is one, otherwise <see cref="string.Empty"/>.
    /// </summary>
    public string BinDirectory { get; }

    /// <summary>Whether the server runs in a container rather than from local binaries.</summary>
    public bool IsContainer => _container is not null;

    /// <summary>Starts a new server and waits until it accepts connections.</summary>
    public static async Task<PostgresServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var localBin = PostgresBinaries.FindBinDirectory();
        if (await DockerEngine.IsAvailableAsync().ConfigureAwait(false))
        {
            return await StartContainerAsync(localBin ?? string.Empty, cancellationToken).ConfigureAwait(false);
        }

        if (localBin is null)
        {
            throw new InvalidOperationException(
                "No Docker engine answered and no PostgreSQL server binaries were found (looked at TENANTS_PG_BIN, PATH and /usr/lib/postgresql/*/bin). "
                + "Install PostgreSQL (e.g. apt-get install postgresql) or start a Docker engine.");
        }

        var local = await LocalPostgresCluster.StartAsync(localBin, cancellationToken).ConfigureAwait(false);
        var server = new PostgresServer("127.0.0.1", local.Port, local.Password, localBin, local, container: null);
        return await server.ReadyOrDisposedAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates an empty database owned by the superuser and returns a connection string to it.</summary>
    /// <param name="name">Lower-case letters, digits and underscores, starting with a letter or underscore; at most 63 characters.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken cancellationToken = default)
    {
        if (!DatabaseName().IsMatch(name))
        {
            throw new ArgumentException($"'{name}' is not a simple database name ([a-z_][a-z0-9_]{{0,62}}).", nameof(name));
        }

        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>Stops the server and deletes its data.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= _processExitHandler;

        // Pools keep idle connections; clear them so an immediate stop does not leave clients waiting on dead sockets.
        NpgsqlConnection.ClearAllPools();
        if (_container is not null)
        {
            await _container.DisposeAsync().ConfigureAwait(false);
        }

        if (_local is not null)
        {
            await Task.Run(_local.Stop).ConfigureAwait(false);
        }
    }

    private static async Task<PostgresServer> StartContainerAsync(string localBin, CancellationToken cancellationToken)
    {
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var container = new PostgreSqlBuilder(ContainerImage)
            .WithUsername(SuperuserName)
            .WithPassword(password)
            .WithDatabase("postgres")
            .WithCommand("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=200")
            .Build();
        try
        {
            await container.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await container.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var server = new PostgresServer(container.Hostname, container.GetMappedPublicPort(PostgreSqlBuilder.PostgreSqlPort), password, localBin, local: null, container);
        return await server.ReadyOrDisposedAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits until the server accepts connections; a server that never does is stopped and cleaned up.</summary>
    private async Task<PostgresServer> ReadyOrDisposedAsync(CancellationToken cancellationToken)
    {
        try
        {
            await WaitUntilReadyAsync(cancellationToken).ConfigureAwait(false);
            return this;
        }
        catch
        {
            await DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private string BuildConnectionString(string username) => new NpgsqlConnectionStringBuilder
    {
        Host = Host,
        Port = Port,
        Username = username,
        Password = Password,
        Database = "postgres",
        Timeout = 15,
        CommandTimeout = 60,
    }.ConnectionString;

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_readyTimeout);
        var pooling = new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false, Timeout = 5 }.ConnectionString;
        Exception? last = null;
        var delay = TimeSpan.FromMilliseconds(25);
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(pooling);
                await connection.OpenAsync(deadline.Token).ConfigureAwait(false);
                await using var command = new NpgsqlCommand("SELECT 1", connection);
                await command.ExecuteScalarAsync(deadline.Token).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or TimeoutException)
            {
                last = ex;
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (deadline.IsCancellationRequested)
            {
                var log = _local?.ReadLogTail() ?? "(server runs in a container; see its logs)";
                throw new TimeoutException(
                    $"PostgreSQL at {Host}:{Port} did not accept connections within {_readyTimeout}. Last error: {last?.Message}\nServer log tail:\n{log}", last);
            }

            try
            {
                await Task.Delay(delay, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 500));
        }
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex DatabaseName();
}
