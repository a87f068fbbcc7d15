using System.Text.Json.Serialization;

namespace Tenants.Api.Features.Endpoints.Update;

/// <summary>Changes some settings of an endpoint; what is left out stays as it is (an omitted password included).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class UpdateEndpointRequest : EndpointSettingsBody
{
    /// <summary>The endpoint id (route).</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>Drops the brokered credential: clients authenticate with the database again (passthrough).</summary>
    public bool? RemoveBroker { get; set; }
}
