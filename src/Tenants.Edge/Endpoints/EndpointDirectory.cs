using Microsoft.Extensions.Options;

namespace Tenants.Edge.Endpoints;

/// <summary>
/// Looks endpoints up by id or dedicated port: first in <c>Edge:Endpoints</c> (read from the current options, so
/// changes apply to new sessions), then, for ids, in the <see cref="IEndpointCatalog"/> when the node has one (the
/// global endpoint directory). Dedicated ports are configuration only.
/// </summary>
public sealed class EndpointDirectory(IOptionsMonitor<EdgeOptions> options, IEndpointCatalog? catalog = null)
{
    /// <summary>A configured endpoint.</summary>
    public EdgeEndpointOptions? Find(string id) =>
        options.CurrentValue.Endpoints.Find(e => string.Equals(e.Id, id, StringComparison.Ordinal));

    /// <summary>A configured endpoint, else one from the catalog; null if neither knows it.</summary>
    /// <exception cref="EndpointCatalogUnavailableException">The catalog could not be asked.</exception>
    public async ValueTask<EdgeEndpointOptions?> FindAsync(string id, CancellationToken cancellationToken) =>
        Find(id) ?? (catalog is null ? null : await catalog.FindAsync(id, cancellationToken));

    /// <summary>The proxy domain: endpoints are <c>&lt;id&gt;.&lt;domain&gt;</c> in TLS server names.</summary>
    public string ProxyDomain => options.CurrentValue.Tls.Domain;

    public EdgeEndpointOptions? FindByPort(int port) =>
        port == 0 ? null : options.CurrentValue.Endpoints.Find(e => e.Port == port);
}
