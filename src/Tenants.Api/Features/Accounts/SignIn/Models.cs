using System.Text.Json.Serialization;

namespace Tenants.Api.Features.Accounts.SignIn;

/// <summary>Email and password, and optionally the tenant to sign in to (else the first the person belongs to).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class SignInRequest
{
    public string? Email { get; set; }

    public string? Password { get; set; }

    public string? TenantId { get; set; }
}
