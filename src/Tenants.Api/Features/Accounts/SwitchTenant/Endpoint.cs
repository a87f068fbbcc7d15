using System.Security.Claims;
using FastEndpoints;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Tenants.Abstractions.Accounts;
using Tenants.Api.Features.Accounts.Me;
using Tenants.Api.Security;

namespace Tenants.Api.Features.Accounts.SwitchTenant;

/// <summary>
/// <c>PUT /api/v1/session/tenant</c>: moves the cookie session to another tenant of the person (the CSRF token stays).
/// 403 for a tenant they do not belong to; 400 for a key, which is bound to its tenant.
/// </summary>
public sealed class Endpoint(IGrainFactory grains) : MemberEndpoint<SwitchTenantRequest, MeResponse>
{
    public override void Configure()
    {
        Put("/api/v1/session/tenant");
        Options(b => b.WithMetadata(new RequestSizeLimitAttribute(4 * 1024)));
        Summary(s => s.Summary = "Switches the session to another tenant the signed-in person belongs to.");
    }

    public override async Task HandleAsync(SwitchTenantRequest req, CancellationToken ct)
    {
        var email = User.FindFirstValue(AccountClaims.Email);
        if (email is null)
        {
            ThrowError("only a signed-in session can switch tenant; a key is bound to its tenant", StatusCodes.Status400BadRequest);
        }

        var account = await grains.GetGrain<IAccountGrain>(email).GetAsync(ct);
        var membership = account?.Memberships.FirstOrDefault(m => m.TenantId == req.TenantId);
        var found = membership is null ? null : await AccountSessions.FindAsync(grains, membership, email, ct);
        if (found is null)
        {
            ThrowError($"you are not a member of tenant '{req.TenantId}'", StatusCodes.Status403Forbidden);
        }

        var user = await AccountSessions.SignInAsync(HttpContext, req.TenantId!, found.Value.Member, email, User.FindFirstValue(AccountClaims.Csrf));
        await Send.OkAsync(await AccountSessions.DescribeAsync(grains, user, ct), ct);
    }
}

public sealed class SwitchTenantValidator : Validator<SwitchTenantRequest>
{
    public SwitchTenantValidator() => RuleFor(r => r.TenantId).ValidTenantId();
}
