namespace Tenants.Abstractions.Tenancy;

/// <summary>
/// An endpoint as the tenant holds it, and as the endpoint directory (<see cref="Endpoints.IEndpointGrain"/>) serves it
/// to edge nodes. A deleted endpoint keeps its record (<see cref="Deleted"/>): its history stays and its id stays
/// reserved.
/// </summary>
[GenerateSerializer]
[Immutable]
[Alias("tenants.tenant-endpoint.v1")]
public sealed record TenantEndpoint
{
    [Id(0)] public required string TenantId { get; init; }

    [Id(1)] public required EndpointSettings Settings { get; init; }

    /// <summary>A disabled endpoint refuses connections, saying so.</summary>
    [Id(2)] public bool Enabled { get; init; }

    /// <summary>A deleted endpoint is unknown to clients; it cannot be enabled or changed again.</summary>
    [Id(3)] public bool Deleted { get; init; }

    [Id(4)] public DateTimeOffset Created { get; init; }

    [Id(5)] public DateTimeOffset Updated { get; init; }

    /// <summary>The tenant version of the endpoint's last change: the directory keeps the newest it was given.</summary>
    [Id(6)] public long Version { get; init; }

    public string Id => Settings.Id;
}
