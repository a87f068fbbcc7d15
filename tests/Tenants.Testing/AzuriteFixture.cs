using Xunit;

namespace Tenants.Testing;

/// <summary>xunit fixture owning one <see cref="AzuriteServer"/> for a test class or collection.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteServer? _server;

    /// <summary>The running server; available after <see cref="InitializeAsync"/>.</summary>
    public AzuriteServer Server => _server ?? throw new InvalidOperationException("The Azurite fixture has not been initialised.");

    /// <inheritdoc cref="AzuriteServer.ConnectionString"/>
    public string ConnectionString => Server.ConnectionString;

    /// <inheritdoc cref="AzuriteServer.BlobEndpoint"/>
    public Uri BlobEndpoint => Server.BlobEndpoint;

    /// <inheritdoc />
    public async Task InitializeAsync() => _server = await AzuriteServer.StartAsync().ConfigureAwait(false);

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }
    }
}
