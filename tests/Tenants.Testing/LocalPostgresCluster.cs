using System.Globalization;
using System.Security.Cryptography;

namespace Tenants.Testing;

/// <summary>
/// A PostgreSQL cluster made by <c>initdb</c> in a fresh temporary folder and run by <c>pg_ctl</c> from the machine's own
/// binaries. Owns the folder: stopping the server also deletes it.
/// </summary>
internal sealed class LocalPostgresCluster
{
    private const int MaxPortAttempts = 5;
    private static readonly TimeSpan _initdbTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan _startTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan _stopTimeout = TimeSpan.FromSeconds(20);

    private readonly string _binDirectory;
    private readonly string _root;
    private int _stopped;

    private LocalPostgresCluster(string binDirectory, string root, string password)
    {
        _binDirectory = binDirectory;
        _root = root;
        Password = password;
    }

    public string Password { get; }

    public int Port { get; private set; }

    public string BinDirectory => _binDirectory;

    private string DataDirectory => Path.Combine(_root, "data");

    private string LogFile => Path.Combine(_root, "server.log");

    public static async Task<LocalPostgresCluster> StartAsync(string binDirectory, CancellationToken cancellationToken)
    {
        var root = Directory.CreateTempSubdirectory("tenants-pg-").FullName;
        var cluster = new LocalPostgresCluster(binDirectory, root, Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));
        try
        {
            await cluster.InitAsync(cancellationToken).ConfigureAwait(false);
            await cluster.StartServerAsync(cancellationToken).ConfigureAwait(false);
            return cluster;
        }
        catch
        {
            cluster.Stop();
            throw;
        }
    }

    /// <summary>Stops the server at once (no checkpoint: the data is thrown away) and deletes the folder. Safe to call twice.</summary>
    public void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            ProcessRunner.RunQuietly(Tool("pg_ctl"), ["stop", "-D", DataDirectory, "-m", "immediate", "-w", "-t", "15"], asPostgresUser: true, _stopTimeout);
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A leftover temp folder is not worth failing a test run over.
        }
    }

    public string ReadLogTail()
    {
        try
        {
            return File.Exists(LogFile) ? ProcessRunner.Tail(File.ReadAllText(LogFile)) : "(no server log)";
        }
        catch (IOException ex)
        {
            return $"(server log unreadable: {ex.Message})";
        }
    }

    private async Task InitAsync(CancellationToken cancellationToken)
    {
        if (ProcessRunner.MustDropRoot)
        {
            // initdb refuses to run as root; the postgres OS user must own the whole folder.
            var (chownExit, chownOutput) = await ProcessRunner.RunAsync(
                "chown", [$"{ProcessRunner.PostgresOsUser}:", _root], asPostgresUser: false, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
            if (chownExit != 0)
            {
                throw new InvalidOperationException($"chown of '{_root}' to the postgres user failed ({chownExit}): {chownOutput}");
            }
        }

        var passwordFile = Path.Combine(_root, "pwfile");
        await File.WriteAllTextAsync(passwordFile, Password + "\n", cancellationToken).ConfigureAwait(false);
        if (ProcessRunner.MustDropRoot)
        {
            await ProcessRunner.RunAsync("chown", [$"{ProcessRunner.PostgresOsUser}:", passwordFile], asPostgresUser: false, TimeSpan.FromSeconds(30), cancellationToken)
                .ConfigureAwait(false);
        }

        var (exitCode, output) = await ProcessRunner.RunAsync(
            Tool("initdb"),
            ["-D", DataDirectory, "-U", PostgresServer.SuperuserName, "--auth-local=trust", "--auth-host=scram-sha-256", $"--pwfile={passwordFile}",
             "-E", "UTF8", "--locale=C", "--no-sync"],
            asPostgresUser: true,
            _initdbTimeout,
            cancellationToken).ConfigureAwait(false);
        File.Delete(passwordFile);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"initdb failed with exit code {exitCode}:\n{ProcessRunner.Tail(output)}");
        }

        // Appending keeps the file's owner (postgres). Throwaway clusters trade durability for speed.
        await File.AppendAllTextAsync(
            Path.Combine(DataDirectory, "postgresql.conf"),
            $"""

            # Tenants.Testing throwaway cluster
            listen_addresses = '127.0.0.1'
            unix_socket_directories = '{_root}'
            fsync = off
            synchronous_commit = off
            full_page_writes = off
            max_connections = 200
            log_min_messages = warning

            """,
            cancellationToken).ConfigureAwait(false);
    }

    private async Task StartServerAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            Port = FreePort.Next();
            var (exitCode, output) = await ProcessRunner.RunAsync(
                Tool("pg_ctl"),
                ["start", "-D", DataDirectory, "-l", LogFile, "-w", "-t", ((int)_startTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture),
                 "-o", $"-p {Port.ToString(CultureInfo.InvariantCulture)}"],
                asPostgresUser: true,
                _startTimeout + TimeSpan.FromSeconds(10),
                cancellationToken).ConfigureAwait(false);
            if (exitCode == 0)
            {
                return;
            }

            var log = ReadLogTail();
            var portTaken = log.Contains("Address already in use", StringComparison.OrdinalIgnoreCase)
                || log.Contains("could not bind", StringComparison.OrdinalIgnoreCase);
            if (!portTaken || attempt >= MaxPortAttempts)
            {
                throw new InvalidOperationException(
                    $"PostgreSQL did not start on 127.0.0.1:{Port} (pg_ctl exit code {exitCode}): {output.Trim()}\nServer log ({LogFile}):\n{log}");
            }

            // Another process took the port between our probe and the server's bind: try a new one.
            File.Delete(LogFile);
        }
    }

    private string Tool(string name) => Path.Combine(_binDirectory, name);
}
