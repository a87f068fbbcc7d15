using System.Text.Json.Serialization;

namespace Tenants.Api.Features.Endpoints.TestUnsaved;

/// <summary>Settings not saved yet, and optionally a login to try (else the broker's, when it has a password).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class TestUnsavedEndpointRequest : EndpointSettingsBody
{
    /// <summary>An id to name the test by in the log; optional.</summary>
    public string? Id { get; set; }

    public string? User { get; set; }

    public string? Password { get; set; }
}
