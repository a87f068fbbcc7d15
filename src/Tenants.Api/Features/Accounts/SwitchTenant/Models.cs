using System.Text.Json.Serialization;

namespace Tenants.Api.Features.Accounts.SwitchTenant;

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class SwitchTenantRequest
{
    /// <summary>A tenant the signed-in person belongs to.</summary>
    public string? TenantId { get; set; }
}
