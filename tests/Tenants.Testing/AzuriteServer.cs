using System.Diagnostics;
using System.Globalization;
using System.Text;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Containers;

namespace Tenants.Testing;

/// <summary>
/// A real Azurite blob service for tests: a container when a Docker engine answers, otherwise the npm package installed at
/// the repository root (<c>node_modules/.bin/azurite-blob</c>) storing into a temporary folder on a free port of 127.0.0.1.
/// <see cref="StopAsync"/> and <see cref="RestartAsync"/> take storage away and give it back on the same endpoint with
/// the same data. Disposing stops it and deletes its data.
/// </summary>
public sealed class AzuriteServer : IAsyncDisposable
{
    /// <summary>The well-known Azurite development account.</summary>
    public const string AccountName = "devstoreaccount1";

    /// <summary>The well-known (public) key of <see cref="AccountName"/>.</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private const string ContainerImage = "mcr.microsoft.com/azure-storage/azurite";
    private const ushort ContainerBlobPort = 10000;
    private const int MaxPortAttempts = 5;
    private static readonly TimeSpan _readyTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan _stopGrace = TimeSpan.FromSeconds(8);

    private readonly string? _launcher;
    private readonly int _port;
    private readonly string? _location;
    private Process? _process;
    private readonly IContainer? _container;
    private readonly EventHandler _processExitHandler;
    private int _disposed;

    private AzuriteServer(string host, int port, Process? process, string? launcher, string? location, IContainer? container)
    {
        _process = process;
        _launcher = launcher;
        _port = port;
        _location = location;
        _container = container;
        BlobEndpoint = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://{host}:{port}/{AccountName}"));
        ConnectionString = string.Create(
            CultureInfo.InvariantCulture,
            $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};BlobEndpoint={BlobEndpoint};");
        _processExitHandler = (_, _) => StopLocal();
        AppDomain.CurrentDomain.ProcessExit += _processExitHandler;
    }

    /// <summary>A storage connection string (account key form) whose only service is this blob endpoint.</summary>
    public string ConnectionString { get; }

    /// <summary>The blob service endpoint, including the account path (<c>http://127.0.0.1:port/devstoreaccount1</c>).</summary>
    public Uri BlobEndpoint { get; }

    /// <summary>Starts Azurite's blob service and waits until its port accepts connections.</summary>
    public static async Task<AzuriteServer> StartAsync(CancellationToken cancellationToken = default)
    {
        return await DockerEngine.IsAvailableAsync().ConfigureAwait(false)
            ? await StartContainerAsync(cancellationToken).ConfigureAwait(false)
            : await StartLocalAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops Azurite and deletes its data.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= _processExitHandler;
        if (_container is not null)
        {
            await _container.DisposeAsync().ConfigureAwait(false);
        }

        if (_location is not null)
        {
            await Task.Run(StopLocal).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Takes storage away: stops Azurite (gracefully, so that it saves its metadata) and keeps its data. Requests to
    /// <see cref="BlobEndpoint"/> are refused until <see cref="RestartAsync"/>.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (_container is not null)
        {
            await _container.StopAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        var process = Interlocked.Exchange(ref _process, null);
        if (process is null)
        {
            return;
        }

        using (process)
        {
            if (!process.HasExited)
            {
                // SIGTERM: Azurite stops listening, and once its open connections end writes its metadata database and
                // exits. A client that keeps its keep-alive connections busy (a running Host does) holds that off for
                // good, so after a grace period longer than the database's 5 s autosave it is killed.
                using var signal = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]);
                await signal.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(_stopGrace);
                try
                {
                    await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    Kill(process);
                }
            }
        }
    }

    /// <summary>Gives storage back after <see cref="StopAsync"/>: the same endpoint, the same data.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        if (_container is not null)
        {
            await _container.StartAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        if (_process is not null)
        {
            throw new InvalidOperationException("Azurite is running; stop it first.");
        }

        for (var attempt = 1; ; attempt++)
        {
            var output = new StringBuilder();
            var process = StartProcess(_launcher!, _location!, _port, output);
            var listening = await FreePort.WaitUntilListeningAsync("127.0.0.1", _port, _readyTimeout, () => process.HasExited, cancellationToken)
                .ConfigureAwait(false);
            if (listening && !process.HasExited)
            {
                _process = process;
                return;
            }

            Kill(process);
            process.Dispose();
            if (attempt >= MaxPortAttempts)
            {
                string log;
                lock (output)
                {
                    log = ProcessRunner.Tail(output.ToString());
                }

                throw new InvalidOperationException($"Azurite did not start listening again on 127.0.0.1:{_port}. Output:\n{log}");
            }
        }
    }

    private static string FindLauncher()
    {
        var launcher = Path.Combine(TestPaths.RepoRoot, "node_modules", ".bin", "azurite-blob");
        if (!File.Exists(launcher))
        {
            throw new InvalidOperationException(
                $"Azurite is not installed: '{launcher}' does not exist and no Docker engine answered. "
                + $"Run './dev test' or 'npm ci' in '{TestPaths.RepoRoot}' first.");
        }

        return launcher;
    }

    private static async Task<AzuriteServer> StartLocalAsync(CancellationToken cancellationToken)
    {
        var launcher = FindLauncher();
        var location = Directory.CreateTempSubdirectory("tenants-azurite-").FullName;
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var port = FreePort.Next();
                var output = new StringBuilder();
                var process = StartProcess(launcher, location, port, output);
                var listening = await FreePort.WaitUntilListeningAsync("127.0.0.1", port, _readyTimeout, () => process.HasExited, cancellationToken)
                    .ConfigureAwait(false);
                if (listening && !process.HasExited)
                {
                    return new AzuriteServer("127.0.0.1", port, process, launcher, location, container: null);
                }

                Kill(process);
                string log;
                lock (output)
                {
                    log = ProcessRunner.Tail(output.ToString());
                }

                process.Dispose();
                if (!log.Contains("EADDRINUSE", StringComparison.Ordinal) || attempt >= MaxPortAttempts)
                {
                    throw new InvalidOperationException(
                        $"Azurite did not start listening on 127.0.0.1:{port} within {_readyTimeout} ('{launcher}'). Output:\n{log}");
                }
            }
        }
        catch
        {
            DeleteFolder(location);
            throw;
        }
    }

    private static Process StartProcess(string launcher, string location, int port, StringBuilder output)
    {
        var info = new ProcessStartInfo(launcher)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = location,
        };
        foreach (var argument in new[]
        {
            "--blobHost", "127.0.0.1", "--blobPort", port.ToString(CultureInfo.InvariantCulture), "--location", location,
            "--skipApiVersionCheck", "--loose", "--silent",
        })
        {
            info.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = info };
        DataReceivedEventHandler append = (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (output)
                {
                    output.AppendLine(e.Data);
                }
            }
        };
        process.OutputDataReceived += append;
        process.ErrorDataReceived += append;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<AzuriteServer> StartContainerAsync(CancellationToken cancellationToken)
    {
        // A fixed host port (not a random one), so that a stopped and restarted container answers where it did.
        var container = new ContainerBuilder(ContainerImage)
            .WithCommand("azurite-blob", "--blobHost", "0.0.0.0", "--skipApiVersionCheck", "--loose")
            .WithPortBinding(FreePort.Next(), ContainerBlobPort)
            .WithWaitStrategy(Wait.ForUnixContainer().UntilInternalTcpPortIsAvailable(ContainerBlobPort))
            .Build();
        try
        {
            await container.StartAsync(cancellationToken).ConfigureAwait(false);
            return new AzuriteServer(container.Hostname, container.GetMappedPublicPort(ContainerBlobPort), process: null, launcher: null, location: null, container);
        }
        catch
        {
            await container.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private void StopLocal()
    {
        var process = Interlocked.Exchange(ref _process, null);
        if (process is not null)
        {
            Kill(process);
            process.Dispose();
        }

        if (_location is not null)
        {
            DeleteFolder(_location);
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
    }

    private static void DeleteFolder(string location)
    {
        try
        {
            Directory.Delete(location, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A leftover temp folder is not worth failing a test run over.
        }
    }
}
