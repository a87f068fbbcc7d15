using FastEndpoints;
using Microsoft.AspNetCore.Http;
using Tenants.Abstractions.Accounts;
using Tenants.Abstractions.Tenancy;
using Tenants.Api.Features.Accounts;
using Tenants.Api.Security;

namespace Tenants.Api.Features.Members.Remove;

/// <summary>
/// <c>DELETE /api/v1/members/{memberId}</c> (members:write): removes a member (204); their session and tokens stop
/// working at once. Removing an owner is for owners only; the last owner stays (409). An unknown id is 404.
/// </summary>
public sealed class Endpoint(IGrainFactory grains) : MemberEndpoint<RemoveMemberRequest, EmptyResponse>
{
    public override void Configure()
    {
        Delete("/api/v1/members/{memberId}");
        Permissions(ApiPermissions.MembersWrite);
        Summary(s => s.Summary = "Removes a member from the tenant.");
    }

    public override async Task HandleAsync(RemoveMemberRequest req, CancellationToken ct)
    {
        var tenantId = User.GetTenantId();
        var tenant = grains.GetGrain<ITenantGrain>(tenantId);
        var actor = await ActorAsync(tenant, ct);
        var existing = (await tenant.GetMembersAsync(ct)).FirstOrDefault(m => m.Id == req.MemberId);
        if (existing is null)
        {
            ThrowError($"this tenant has no member '{req.MemberId}'", StatusCodes.Status404NotFound);
        }

        if (existing.Role == MemberRole.Owner && User.GetActingRole() != MemberRole.Owner)
        {
            Forbidden("only an owner may remove an owner");
        }

        try
        {
            await tenant.RemoveMemberAsync(actor, req.MemberId, ct);
        }
        catch (TenantValidationException ex)
        {
            Refused(ex);
        }

        // The tenant is the truth about membership; the account's list only feeds sign-in and the tenant switcher.
        await grains.GetGrain<IAccountGrain>(AccountEmail.Normalize(existing.Email)).RemoveMembershipAsync(tenantId, ct);
        await Send.NoContentAsync(ct);
    }
}

public sealed class RemoveMemberValidator : Validator<RemoveMemberRequest>
{
    public RemoveMemberValidator() => RuleFor(r => r.MemberId).ValidMemberId();
}
