using System.Security.Claims;

namespace Tenants.Api.Security;

/// <summary>The claim that names the tenant a request acts for; every endpoint scopes its work to it.</summary>
public static class TenantClaims
{
    public const string TenantId = "tenant";

    /// <summary>The caller's tenant. Authenticated requests always carry one.</summary>
    public static string GetTenantId(this ClaimsPrincipal user) =>
        user.FindFirstValue(TenantId) ?? throw new InvalidOperationException("the request has no tenant claim");
}
