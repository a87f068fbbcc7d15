using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Tenants.Abstractions.Tenancy;

namespace Tenants.Api.Security;

/// <summary>
/// The portal's cookie session. The cookie carries who signed in (tenant, member, email, CSRF token) but not what they
/// may do: every request looks the member up in the tenant grain and takes the role as it is now, so a changed role
/// applies at once and a removed member is signed out. 401 and 403 are problem details, never redirects.
/// </summary>
internal sealed class SessionCookieEvents(IGrainFactory grains) : CookieAuthenticationEvents
{
    public override async Task ValidatePrincipal(CookieValidatePrincipalContext context)
    {
        var user = context.Principal;
        var tenantId = user?.FindFirstValue(TenantClaims.TenantId);
        var memberId = user?.FindFirstValue(TenantClaims.MemberId);
        var members = tenantId is null || !TenantIds.IsValid(tenantId)
            ? null
            : await grains.GetGrain<ITenantGrain>(tenantId).GetMembersAsync(context.HttpContext.RequestAborted);
        if (members?.FirstOrDefault(m => m.Id == memberId) is not { } member)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(TenantAuthentication.CookieScheme);
            return;
        }

        var claims = MemberPermissions.Claims(tenantId!, member);
        claims.Add(new Claim(AccountClaims.Credential, AccountClaims.CookieCredential));
        claims.AddRange(user!.Claims.Where(c => c.Type is AccountClaims.Email or AccountClaims.Csrf));
        context.ReplacePrincipal(new ClaimsPrincipal(new ClaimsIdentity(claims, TenantAuthentication.CookieScheme)));
    }

    public override Task RedirectToLogin(RedirectContext<CookieAuthenticationOptions> context) =>
        ApiProblems.WriteAsync(context.HttpContext, StatusCodes.Status401Unauthorized, "Authentication required",
            "Sign in (POST /api/v1/session) or send an API key as 'Authorization: Bearer <key>'.");

    public override Task RedirectToAccessDenied(RedirectContext<CookieAuthenticationOptions> context) =>
        ApiProblems.WriteAsync(context.HttpContext, StatusCodes.Status403Forbidden, "Forbidden",
            "Your role in this tenant does not allow this.");

    public override Task RedirectToLogout(RedirectContext<CookieAuthenticationOptions> context)
    {
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    public override Task RedirectToReturnUrl(RedirectContext<CookieAuthenticationOptions> context) => Task.CompletedTask;
}
