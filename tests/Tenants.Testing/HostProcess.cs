using System.Diagnostics;
using System.Text;

namespace Tenants.Testing;

/// <summary>
/// The real Host executable (<c>Tenants.Host.dll</c> from its own build output) started as a child process with the
/// given configuration, ready once <c>/health/ready</c> says so. Its output is kept for failure messages. Disposing
/// stops it gracefully (SIGTERM), then kills it if it does not exit in time.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private HostProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    /// <summary>Where the API listens.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Everything the Host printed so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Whether the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Starts the Host with <paramref name="settings"/> as environment configuration (keys in the
    /// <c>Section__Key</c> form) and an HTTP port of its own, and waits until it is ready. The Host is its build output
    /// in the test's configuration, or <paramref name="hostDll"/> (a published Host).
    /// </summary>
    public static async Task<HostProcess> StartAsync(
        IReadOnlyDictionary<string, string> settings, TimeSpan readyTimeout, string? hostDll = null, CancellationToken cancellationToken = default)
    {
        hostDll ??= LocateHost();
        // Its HTTP port is this method's own choice: if another process took it meanwhile, choose again.
        for (var attempt = 1; ; attempt++)
        {
            var host = Launch(settings, hostDll, new Uri($"http://127.0.0.1:{FreePort.Next()}"));
            try
            {
                await host.WaitUntilReadyAsync(readyTimeout, cancellationToken);
                return host;
            }
            catch (InvalidOperationException) when (attempt < 3 && host.HasExited && host.Output.Contains($"address {host.BaseAddress.ToString().TrimEnd('/')}: address already in use", StringComparison.Ordinal))
            {
                await host.DisposeAsync();
            }
            catch
            {
                await host.DisposeAsync();
                throw;
            }
        }
    }

    private static HostProcess Launch(IReadOnlyDictionary<string, string> settings, string hostDll, Uri baseAddress)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { hostDll, "--contentRoot", Path.GetDirectoryName(hostDll)! },
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = Path.GetDirectoryName(hostDll)!,
        };
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        info.Environment["Kestrel__Endpoints__Http__Url"] = baseAddress.ToString();
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings)
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info };
        var host = new HostProcess(process, baseAddress);
        process.OutputDataReceived += (_, e) => host.Append(e.Data);
        process.ErrorDataReceived += (_, e) => host.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>
    /// Crashes the Host: SIGKILL, nothing drained, nothing flushed (as <c>kill -9</c> or a lost machine), and waits
    /// until it is gone. Disposing afterwards only releases the process handle.
    /// </summary>
    public async Task KillAsync(CancellationToken cancellationToken = default)
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM lets the Host drain: the audit queue is delivered and grains seal what is pending.
            Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])?.WaitForExit();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the Host exited with code {_process.ExitCode} while starting:\n{ProcessRunner.Tail(Output, 60)}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri("/health/ready", UriKind.Relative), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // A slow answer while the silo starts.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }

        throw new TimeoutException($"the Host was not ready within {timeout}:\n{ProcessRunner.Tail(Output, 60)}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    /// <summary>
    /// Runs a one-off command of the Host executable (<c>Tenants.Host.dll &lt;arguments&gt;</c>, such as
    /// <c>index rebuild</c>) with <paramref name="settings"/> as environment configuration, and returns its output.
    /// </summary>
    public static Task<ProcessResult> RunCommandAsync(
        IReadOnlyDictionary<string, string> settings, IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var hostDll = LocateHost();
        var info = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = Path.GetDirectoryName(hostDll)!,
        };
        info.ArgumentList.Add(hostDll);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["DOTNET_ENVIRONMENT"] = "Development";
        foreach (var (key, value) in settings)
        {
            info.Environment[key] = value;
        }

        return ProcessRunner.RunAsync(info, timeout, cancellationToken);
    }

    private static string LocateHost()
    {
        // Use the Host's own build output in the same configuration as this test assembly.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent?.Name ?? "Debug";
        var path = Path.Combine(TestPaths.RepoRoot, "src", "Tenants.Host", "bin", configuration, "net10.0", "Tenants.Host.dll");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"build the solution first: {path} does not exist", path);
    }
}
