using Tenants.Abstractions.Tenancy;

namespace Tenants.Grains.Endpoints;

/// <summary>What an endpoint directory entry persists: the tenant holding the id and the endpoint as last published.</summary>
[GenerateSerializer]
[Alias("tenants.endpoint-state.v1")]
public sealed class EndpointState
{
    [Id(0)] public string? TenantId { get; set; }

    [Id(1)] public TenantEndpoint? Endpoint { get; set; }
}
