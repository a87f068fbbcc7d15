using System.Diagnostics;
using System.Reflection;

namespace Tenants.Infra.Tests;

/// <summary>
/// The bicep compiler from the Azure.Bicep.CommandLine.linux-x64 package (its path is written into this assembly by
/// the project file), run as a process.
/// </summary>
internal static class BicepCli
{
    private static readonly Lazy<string> Executable = new(Locate);

    /// <summary>Compiles a .bicep file to ARM JSON, printed on standard output; diagnostics go to standard error.</summary>
    public static Task<BicepResult> BuildAsync(string bicepFile, CancellationToken cancellationToken) =>
        RunAsync(["build", bicepFile, "--stdout"], cancellationToken);

    /// <summary>Runs the linter (the rules of the nearest bicepconfig.json) without writing anything.</summary>
    public static Task<BicepResult> LintAsync(string bicepFile, CancellationToken cancellationToken) =>
        RunAsync(["lint", bicepFile], cancellationToken);

    private static async Task<BicepResult> RunAsync(string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Executable.Value)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return new BicepResult(process.ExitCode, await output, await error);
    }

    private static string Locate()
    {
        var path = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == "BicepPath")?.Value;
        if (string.IsNullOrEmpty(path) || !File.Exists(path))
        {
            throw new InvalidOperationException(
                $"The bicep executable is not at '{path}': restore tests/Tenants.Infra.Tests (package Azure.Bicep.CommandLine.linux-x64).");
        }

        // NuGet extracts files without their execute bit on some systems. (The package is the linux-x64 build.)
        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(path);
            if (!mode.HasFlag(UnixFileMode.UserExecute))
            {
                File.SetUnixFileMode(path, mode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            }
        }

        return path;
    }
}
