using System.Text.Json.Serialization;

namespace Tenants.Api.Features.AccessRequests.Create;

/// <summary>A request for time-bound access to an endpoint.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class CreateAccessRequest
{
    /// <summary>An endpoint of the tenant that is not deleted.</summary>
    public string? EndpointId { get; set; }

    /// <summary>Why (1-500 characters, no control characters); it goes into the ledger.</summary>
    public string? Reason { get; set; }

    /// <summary>How long the grant lasts once approved: 1-1440, default 60.</summary>
    public int? Minutes { get; set; }
}
