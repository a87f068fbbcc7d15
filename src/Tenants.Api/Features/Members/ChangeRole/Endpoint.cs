using FastEndpoints;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Mvc;
using Tenants.Abstractions.Tenancy;
using Tenants.Api.Features.Accounts;
using Tenants.Api.Security;

namespace Tenants.Api.Features.Members.ChangeRole;

/// <summary>
/// <c>PATCH /api/v1/members/{memberId}</c> (members:write): changes a member's role. Making or unmaking an owner is for
/// owners only; the last owner keeps the role (409). An id the tenant does not have is 404.
/// </summary>
public sealed class Endpoint(IGrainFactory grains) : MemberEndpoint<ChangeRoleRequest, MemberItem>
{
    public override void Configure()
    {
        Patch("/api/v1/members/{memberId}");
        Permissions(ApiPermissions.MembersWrite);
        Options(b => b.WithMetadata(new RequestSizeLimitAttribute(4 * 1024)));
        Summary(s => s.Summary = "Changes a member's role.");
    }

    public override async Task HandleAsync(ChangeRoleRequest req, CancellationToken ct)
    {
        var role = RoleNames.Parse(req.Role);
        var tenant = grains.GetGrain<ITenantGrain>(User.GetTenantId());
        var actor = await ActorAsync(tenant, ct);
        var existing = (await tenant.GetMembersAsync(ct)).FirstOrDefault(m => m.Id == req.MemberId);
        if (existing is null)
        {
            ThrowError($"this tenant has no member '{req.MemberId}'", Microsoft.AspNetCore.Http.StatusCodes.Status404NotFound);
        }

        if ((role == MemberRole.Owner || existing.Role == MemberRole.Owner) && existing.Role != role && User.GetActingRole() != MemberRole.Owner)
        {
            Forbidden("only an owner may make or unmake an owner");
        }

        try
        {
            await Send.OkAsync(MemberItem.From(await tenant.ChangeMemberRoleAsync(actor, req.MemberId, role, ct)), ct);
        }
        catch (TenantValidationException ex)
        {
            Refused(ex);
        }
    }
}

public sealed class ChangeRoleValidator : Validator<ChangeRoleRequest>
{
    public ChangeRoleValidator()
    {
        RuleFor(r => r.MemberId).ValidMemberId();
        RuleFor(r => r.Role).ValidRole();
    }
}
