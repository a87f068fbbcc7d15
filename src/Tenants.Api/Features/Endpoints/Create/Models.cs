using System.Text.Json.Serialization;

namespace Tenants.Api.Features.Endpoints.Create;

/// <summary>Connects a database: the settings, and an id or a name to make one from.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class CreateEndpointRequest : EndpointSettingsBody
{
    /// <summary>The endpoint id, global across tenants; optional: without one, <c>&lt;name&gt;-&lt;4 random characters&gt;</c>.</summary>
    public string? Id { get; set; }

    /// <summary>What to make the id from when none is given (default: the database name, else <c>db</c>).</summary>
    public string? Name { get; set; }
}
