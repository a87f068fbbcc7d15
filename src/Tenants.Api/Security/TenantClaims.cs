using System.Security.Claims;

namespace Tenants.Api.Security;

/// <summary>The claim that names the tenant a request acts for; every endpoint scopes its work to it.</summary>
public static class TenantClaims
{
    public const string TenantId = "tenant";

    /// <summary>The member acting (a member id of the tenant); absent for API keys seeded by configuration.</summary>
    public const string MemberId = "member";

    /// <summary>The acting member's role (<c>Owner</c>, <c>Admin</c>, <c>Auditor</c>, <c>Developer</c>) when a member acts.</summary>
    public const string Role = "role";

    /// <summary>The caller's tenant. Authenticated requests always carry one.</summary>
    public static string GetTenantId(this ClaimsPrincipal user) =>
        user.FindFirstValue(TenantId) ?? throw new InvalidOperationException("the request has no tenant claim");

    /// <summary>The acting member, or null when a key seeded by configuration acts.</summary>
    public static string? GetMemberId(this ClaimsPrincipal user) => user.FindFirstValue(MemberId);
}
