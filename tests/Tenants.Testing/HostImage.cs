namespace Tenants.Testing;

/// <summary>
/// The Host as it ships, as a folder to start it from. Where a Docker engine answers, the image is built from the
/// repository's <c>Dockerfile</c> and its <c>/app</c> copied out; where none does, the Dockerfile's steps run on this
/// machine: the portal built with npm (reused when <c>./dev test</c> has just built it), <c>dotnet publish -c
/// Release</c>, and the portal copied into <c>wwwroot</c>.
/// </summary>
public static class HostImage
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(15);

    /// <summary>How the folder was made: <c>docker build</c> or <c>dotnet publish</c>.</summary>
    public sealed record Output(string Folder, string MadeBy)
    {
        /// <summary>The Host's entry assembly in the folder.</summary>
        public string HostDll => Path.Combine(Folder, "Tenants.Host.dll");
    }

    /// <summary>Builds the Host into a new folder under <paramref name="parent"/>.</summary>
    public static async Task<Output> BuildAsync(string parent, CancellationToken cancellationToken = default)
    {
        var folder = Path.Combine(parent, "app");
        Directory.CreateDirectory(parent);
        return await DockerEngine.IsAvailableAsync().ConfigureAwait(false)
            ? await FromDockerfileAsync(folder, cancellationToken).ConfigureAwait(false)
            : await PublishAsync(folder, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<Output> FromDockerfileAsync(string folder, CancellationToken cancellationToken)
    {
        var image = $"tenants-host-test:{Guid.NewGuid():N}";
        await RunAsync("docker", ["build", "--tag", image, TestPaths.RepoRoot], TestPaths.RepoRoot, cancellationToken).ConfigureAwait(false);
        try
        {
            var container = (await RunAsync("docker", ["create", image], TestPaths.RepoRoot, cancellationToken).ConfigureAwait(false)).Trim();
            try
            {
                await RunAsync("docker", ["cp", $"{container}:/app", folder], TestPaths.RepoRoot, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await RunAsync("docker", ["rm", container], TestPaths.RepoRoot, CancellationToken.None).ConfigureAwait(false);
            }
        }
        finally
        {
            await RunAsync("docker", ["rmi", image], TestPaths.RepoRoot, CancellationToken.None).ConfigureAwait(false);
        }

        return new Output(folder, "docker build");
    }

    private static async Task<Output> PublishAsync(string folder, CancellationToken cancellationToken)
    {
        var ui = Path.Combine(TestPaths.RepoRoot, "ui");
        var portal = Path.Combine(ui, "dist");
        if (!File.Exists(Path.Combine(portal, "index.html")))
        {
            await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], ui, cancellationToken).ConfigureAwait(false);
            await RunAsync("npm", ["run", "build"], ui, cancellationToken).ConfigureAwait(false);
        }

        var project = Path.Combine(TestPaths.RepoRoot, "src", "Tenants.Host", "Tenants.Host.csproj");
        await RunAsync("dotnet", ["publish", project, "-c", "Release", "-o", folder, "-nologo"], TestPaths.RepoRoot, cancellationToken).ConfigureAwait(false);
        CopyFolder(portal, Path.Combine(folder, "wwwroot"));
        return new Output(folder, "dotnet publish");
    }

    private static async Task<string> RunAsync(string fileName, IEnumerable<string> arguments, string workingDirectory, CancellationToken cancellationToken)
    {
        var info = ProcessRunner.StartInfo(fileName, arguments, asPostgresUser: false);
        info.WorkingDirectory = workingDirectory;
        var result = await ProcessRunner.RunAsync(info, BuildTimeout, cancellationToken).ConfigureAwait(false);
        return result.ExitCode == 0 && !result.TimedOut
            ? result.Output
            : throw new InvalidOperationException(
                $"'{fileName} {string.Join(' ', info.ArgumentList)}' {(result.TimedOut ? "timed out" : $"exited with {result.ExitCode}")}:\n{ProcessRunner.Tail(result.Output, 40)}");
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }
}
