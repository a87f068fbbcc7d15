using System.Text.Json;

namespace Tenants.Infra.Tests;

/// <summary>infra/main.bicep compiled once for the tests that read it.</summary>
public sealed class CompiledMainTemplate : IAsyncLifetime
{
    private JsonDocument? _document;

    internal BicepResult Build { get; private set; } = new(-1, string.Empty, string.Empty);

    internal JsonElement Template => _document?.RootElement ?? throw new InvalidOperationException(Build.Describe());

    public async Task InitializeAsync()
    {
        Build = await BicepCli.BuildAsync(RepositoryRoot.Combine("infra", "main.bicep"), CancellationToken.None);
        if (Build.ExitCode == 0)
        {
            _document = JsonDocument.Parse(Build.StandardOutput);
        }
    }

    public Task DisposeAsync()
    {
        _document?.Dispose();
        return Task.CompletedTask;
    }
}
