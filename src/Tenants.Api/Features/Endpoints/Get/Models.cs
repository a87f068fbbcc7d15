namespace Tenants.Api.Features.Endpoints.Get;

/// <summary>Names one endpoint of the caller's tenant.</summary>
public sealed class EndpointIdRequest
{
    /// <summary>The endpoint id (route).</summary>
    public string Id { get; set; } = string.Empty;
}
