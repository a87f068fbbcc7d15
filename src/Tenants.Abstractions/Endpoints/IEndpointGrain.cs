using Orleans.Concurrency;
using Tenants.Abstractions.Tenancy;

namespace Tenants.Abstractions.Endpoints;

/// <summary>
/// The global endpoint directory, one grain per endpoint id (ids are global across tenants): which tenant holds the
/// id and the endpoint's current settings, so an edge node can resolve an id without knowing the tenant. Only the
/// tenant grain writes here (claim, then publish on every change); edge nodes read.
/// </summary>
[Alias("tenants.endpoint-grain.v1")]
public interface IEndpointGrain : IGrainWithStringKey
{
    /// <summary>
    /// Reserves the id for <paramref name="tenantId"/>. The first claim wins and holds for ever (a deleted endpoint's id
    /// stays reserved); claiming again for the same tenant succeeds (a retry); any other tenant gets a
    /// <see cref="TenantValidationException"/>.
    /// </summary>
    [Alias("ClaimAsync")]
    Task ClaimAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores the endpoint's current settings, pushed by its tenant. Refused unless the endpoint's tenant holds the
    /// claim; an older <see cref="TenantEndpoint.Version"/> than the one held is ignored (a late retry).
    /// </summary>
    [Alias("PublishAsync")]
    Task PublishAsync(TenantEndpoint endpoint, CancellationToken cancellationToken = default);

    /// <summary>The endpoint as last published (possibly disabled or deleted); null for an id nobody holds or published.</summary>
    [Alias("GetAsync")]
    [ReadOnly]
    Task<TenantEndpoint?> GetAsync(CancellationToken cancellationToken = default);

    /// <summary>The tenant holding the id; null if nobody claimed it.</summary>
    [Alias("GetOwnerAsync")]
    [ReadOnly]
    Task<string?> GetOwnerAsync(CancellationToken cancellationToken = default);
}
