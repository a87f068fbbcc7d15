using System.Security.Claims;
using Tenants.Abstractions.Tenancy;

namespace Tenants.Api.Security;

/// <summary>Claims of a member acting in a tenant, and reading them back.</summary>
internal static class MemberPermissions
{
    /// <summary>The tenant, member, role and permission claims of <paramref name="member"/>, limited to <paramref name="limit"/> when given.</summary>
    public static List<Claim> Claims(string tenantId, TenantMember member, IReadOnlyCollection<string>? limit = null)
    {
        var permissions = ApiPermissions.ForRole(member.Role).Where(p => limit is null || limit.Contains(p));
        return
        [
            new Claim(TenantClaims.TenantId, tenantId),
            new Claim(TenantClaims.MemberId, member.Id),
            new Claim(TenantClaims.Role, member.Role.ToString()),
            .. permissions.Select(p => new Claim(ApiPermissions.ClaimType, p)),
        ];
    }

    /// <summary>The acting member's role, or null when no member acts (a key).</summary>
    public static MemberRole? GetRole(this ClaimsPrincipal user) =>
        Enum.TryParse<MemberRole>(user.FindFirstValue(TenantClaims.Role), out var role) ? role : null;

    /// <summary>Whether a key seeded by configuration (<c>Api:Keys</c>, the operator's) authenticated the request.</summary>
    public static bool IsConfiguredKey(this ClaimsPrincipal user) =>
        user.HasClaim(AccountClaims.Credential, AccountClaims.ConfiguredKeyCredential);

    /// <summary>
    /// The role the caller acts with in role checks: a member's own; <see cref="MemberRole.Owner"/> for a configured key,
    /// which acts as the tenant's first owner (<see cref="TenantActor"/>); null for an issued API key, which has no role.
    /// </summary>
    public static MemberRole? GetActingRole(this ClaimsPrincipal user) =>
        user.IsConfiguredKey() ? MemberRole.Owner : user.GetRole();

    public static bool HasPermission(this ClaimsPrincipal user, string permission) =>
        user.HasClaim(ApiPermissions.ClaimType, permission);

    public static IReadOnlyList<string> GetPermissions(this ClaimsPrincipal user) =>
        [.. user.FindAll(ApiPermissions.ClaimType).Select(c => c.Value).Distinct()];
}
