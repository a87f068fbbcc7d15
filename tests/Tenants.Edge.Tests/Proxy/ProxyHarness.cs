using Tenants.Edge.Tests.Hosting;
using Tenants.Testing;

namespace Tenants.Edge.Tests.Proxy;

/// <summary>A <see cref="PgServerFake"/> with the proxy in front of it (endpoint <see cref="EndpointId"/>).</summary>
public sealed class ProxyHarness : IAsyncDisposable
{
    public const string EndpointId = "fake";

    /// <summary>Bound on every wait of a test: long enough for a loaded 2-core machine, short enough to fail fast.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private ProxyHarness(PgServerFake server, EdgeTestHost edge)
    {
        Server = server;
        Edge = edge;
    }

    public PgServerFake Server { get; }

    public EdgeTestHost Edge { get; }

    public static async Task<ProxyHarness> StartAsync(PgFakeScript? script = null, Action<EdgeOptions>? configure = null)
    {
        var server = PgServerFake.Start(script);
        try
        {
            var edge = await EdgeTestHost.StartAsync(options =>
            {
                options.Endpoints.Add(EdgeTestHost.Endpoint(EndpointId, server.Host, server.Port));
                configure?.Invoke(options);
            });
            return new ProxyHarness(server, edge);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>The StartupMessage parameters of a client of the fake endpoint, named by <paramref name="applicationName"/>.</summary>
    public static (string Name, string Value)[] StartupParameters(string applicationName) =>
        [("user", "alice"), ("database", "app"), ("application_name", applicationName), ("options", $"endpoint={EndpointId}")];

    /// <summary>Opens a raw connection to the proxy.</summary>
    public Task<PgRawClient> ConnectAsync() => PgRawClient.ConnectAsync(Edge.Host, Edge.Port);

    /// <summary>
    /// Connects through the proxy and logs in; returns the client, the login messages it received and the fake's
    /// side of the same session.
    /// </summary>
    public async Task<(PgRawClient Client, IReadOnlyList<PgMessage> Login, PgFakeConnection Upstream)> LoginAsync(string applicationName)
    {
        var client = await ConnectAsync();
        try
        {
            var login = await client.StartAsync(Patience, StartupParameters(applicationName));
            var upstream = await Server.WaitForApplicationAsync(applicationName, Patience);
            return (client, login, upstream);
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Edge.DisposeAsync();
        await Server.DisposeAsync();
    }
}
