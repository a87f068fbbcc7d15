using System.Diagnostics;
using System.Text;

namespace Tenants.Testing;

/// <summary>Runs short-lived tools (initdb, pg_ctl, chown) and captures what they print.</summary>
public static class ProcessRunner
{
    /// <summary>The OS user PostgreSQL server commands run as when this process is root (initdb refuses root).</summary>
    public const string PostgresOsUser = "postgres";

    /// <summary>Whether server commands must be wrapped in <c>runuser -u postgres --</c>.</summary>
    public static bool MustDropRoot => OperatingSystem.IsLinux() && Environment.IsPrivilegedProcess;

    public static ProcessStartInfo StartInfo(string fileName, IEnumerable<string> arguments, bool asPostgresUser)
    {
        ProcessStartInfo info;
        if (asPostgresUser && MustDropRoot)
        {
            info = new ProcessStartInfo("runuser");
            info.ArgumentList.Add("-u");
            info.ArgumentList.Add(PostgresOsUser);
            info.ArgumentList.Add("--");
            info.ArgumentList.Add(fileName);
        }
        else
        {
            info = new ProcessStartInfo(fileName);
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.UseShellExecute = false;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.RedirectStandardInput = true;
        return info;
    }

    public static async Task<(int ExitCode, string Output)> RunAsync(
        string fileName, IEnumerable<string> arguments, bool asPostgresUser, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var result = await RunAsync(StartInfo(fileName, arguments, asPostgresUser), timeout, cancellationToken).ConfigureAwait(false);
        return result.TimedOut
            ? throw new TimeoutException($"'{fileName} {string.Join(' ', arguments)}' did not finish within {timeout}. Output so far:\n{result.Output}")
            : (result.ExitCode, result.Output);
    }

    /// <summary>
    /// Runs a prepared process to its end, collecting standard output and error together. A process still running
    /// after <paramref name="timeout"/> is killed with its children and reported as timed out.
    /// </summary>
    public static async Task<ProcessResult> RunAsync(ProcessStartInfo info, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var process = new Process { StartInfo = info };
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            return new ProcessResult(process.ExitCode, Snapshot(output), TimedOut: true);
        }

        return new ProcessResult(process.ExitCode, Snapshot(output), TimedOut: false);
    }

    /// <summary>Synchronous variant for the process-exit safety net, where nothing can be awaited.</summary>
    public static void RunQuietly(string fileName, IEnumerable<string> arguments, bool asPostgresUser, TimeSpan timeout)
    {
        try
        {
            using var process = Process.Start(StartInfo(fileName, arguments, asPostgresUser));
            if (process is null)
            {
                return;
            }

            process.StandardInput.Close();
            process.StandardOutput.ReadToEndAsync();
            process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception)
        {
            // Best effort only: this runs while the test process is going away.
        }
    }

    public static string Tail(string text, int lines = 30)
    {
        var all = text.Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
