namespace Tenants.Edge.Endpoints;

/// <summary>
/// Where the edge finds endpoints that are not in its configuration: the global endpoint directory (the endpoint
/// grains) when the node runs with Orleans. Found after <c>Edge:Endpoints</c>, which stays the embedded default.
/// </summary>
public interface IEndpointCatalog
{
    /// <summary>The endpoint with this id, disabled ones included; null for an unknown or deleted one.</summary>
    /// <exception cref="EndpointCatalogUnavailableException">The directory did not answer (in time).</exception>
    ValueTask<EdgeEndpointOptions?> FindAsync(string id, CancellationToken cancellationToken);
}
