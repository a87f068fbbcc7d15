using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Tenants.Abstractions.Accounts;
using Tenants.Abstractions.Tenancy;
using Tenants.Api.Features.Accounts.Me;
using Tenants.Api.Security;

namespace Tenants.Api.Features.Accounts;

/// <summary>Signing a person in to a tenant with the session cookie, and describing the caller (<c>GET /me</c>).</summary>
internal static class AccountSessions
{
    /// <summary>
    /// Issues the session cookie for <paramref name="member"/> of <paramref name="tenantId"/>, keeping the session's CSRF
    /// token when there is one (switching tenant), and returns the principal this request should see.
    /// </summary>
    public static async Task<ClaimsPrincipal> SignInAsync(HttpContext context, string tenantId, TenantMember member, string email, string? csrf = null)
    {
        List<Claim> stored =
        [
            new Claim(TenantClaims.TenantId, tenantId),
            new Claim(TenantClaims.MemberId, member.Id),
            new Claim(AccountClaims.Email, email),
            new Claim(AccountClaims.Csrf, csrf ?? SessionCsrf.NewToken()),
        ];
        await context.SignInAsync(TenantAuthentication.CookieScheme,
            new ClaimsPrincipal(new ClaimsIdentity(stored, TenantAuthentication.CookieScheme)),
            new AuthenticationProperties { IsPersistent = false });

        var claims = MemberPermissions.Claims(tenantId, member);
        claims.Add(new Claim(AccountClaims.Credential, AccountClaims.CookieCredential));
        claims.AddRange(stored.Where(c => c.Type is AccountClaims.Email or AccountClaims.Csrf));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, TenantAuthentication.CookieScheme));
    }

    /// <summary>The member the membership names, if the tenant still has it with that email.</summary>
    public static async Task<(TenantAccount Account, TenantMember Member)?> FindAsync(IGrainFactory grains, AccountMembership membership, string email, CancellationToken ct)
    {
        var tenant = grains.GetGrain<ITenantGrain>(membership.TenantId);
        if (await tenant.GetAccountAsync(ct) is not { } account)
        {
            return null;
        }

        var member = (await tenant.GetMembersAsync(ct)).FirstOrDefault(m =>
            m.Id == membership.MemberId && string.Equals(AccountEmail.Normalize(m.Email), email, StringComparison.Ordinal));
        return member is null ? null : (account, member);
    }

    public static async Task<MeResponse> DescribeAsync(IGrainFactory grains, ClaimsPrincipal user, CancellationToken ct)
    {
        var tenantId = user.GetTenantId();
        var memberId = user.GetMemberId();
        var tenant = grains.GetGrain<ITenantGrain>(tenantId);
        var account = await tenant.GetAccountAsync(ct);
        var member = memberId is null ? null : (await tenant.GetMembersAsync(ct)).FirstOrDefault(m => m.Id == memberId);
        var role = user.GetRole();
        var current = new TenantItem
        {
            TenantId = tenantId,
            DisplayName = account?.DisplayName ?? tenantId,
            MemberId = memberId,
            Role = role is { } r ? RoleNames.Name(r) : null,
        };
        var tenants = new List<TenantItem> { current };
        var email = user.FindFirstValue(AccountClaims.Email);
        if (email is not null && await grains.GetGrain<IAccountGrain>(email).GetAsync(ct) is { } person)
        {
            tenants.Clear();
            foreach (var membership in person.Memberships)
            {
                if (await FindAsync(grains, membership, email, ct) is { } found)
                {
                    tenants.Add(new TenantItem
                    {
                        TenantId = membership.TenantId,
                        DisplayName = found.Account.DisplayName,
                        MemberId = found.Member.Id,
                        Role = RoleNames.Name(found.Member.Role),
                    });
                }
            }
        }

        return new MeResponse
        {
            MemberId = memberId,
            Email = email ?? member?.Email,
            Role = current.Role,
            Tenant = current,
            Tenants = tenants,
            Permissions = user.GetPermissions(),
            Credential = user.FindFirstValue(AccountClaims.Credential) ?? AccountClaims.ConfiguredKeyCredential,
            CsrfToken = user.FindFirstValue(AccountClaims.Csrf),
        };
    }
}
