using System.Text.Json.Serialization;

namespace Tenants.Api.Features.Accounts.SignUp;

/// <summary>A new tenant and its first owner.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class SignUpRequest
{
    /// <summary>The tenant id (1-63 lowercase letters, digits and hyphens); global, and it cannot change.</summary>
    public string? TenantId { get; set; }

    /// <summary>The tenant's name as people see it (1-100 characters).</summary>
    public string? TenantName { get; set; }

    public string? Email { get; set; }

    /// <summary>At least 12 characters, not the email.</summary>
    public string? Password { get; set; }

    /// <summary>The owner's member id; made from the email's local part when left out.</summary>
    public string? MemberId { get; set; }
}
