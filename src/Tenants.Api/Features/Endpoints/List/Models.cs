namespace Tenants.Api.Features.Endpoints.List;

/// <summary>Which endpoints to list.</summary>
public sealed class ListEndpointsRequest
{
    /// <summary>Include deleted endpoints (marked <c>deleted: true</c>); default false.</summary>
    public bool IncludeDeleted { get; set; }
}

/// <summary>The caller's endpoints, in the order they were added.</summary>
public sealed class ListEndpointsResponse
{
    public required IReadOnlyList<EndpointResponse> Items { get; init; }
}
