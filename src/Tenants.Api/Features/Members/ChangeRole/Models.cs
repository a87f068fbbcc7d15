using System.Text.Json.Serialization;

namespace Tenants.Api.Features.Members.ChangeRole;

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class ChangeRoleRequest
{
    /// <summary>From the route.</summary>
    public string MemberId { get; set; } = string.Empty;

    /// <summary><c>owner</c>, <c>admin</c>, <c>auditor</c> or <c>developer</c>.</summary>
    public string? Role { get; set; }
}
