using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Tenants.Abstractions.Accounts;
using Tenants.Abstractions.Audit;
using Tenants.Abstractions.Tenancy;
using Tenants.Api.Features.Accounts;
using Tenants.Api.Security;

namespace Tenants.Api.Features.Members.Invite;

/// <summary>
/// <c>POST /api/v1/members</c> (members:write): adds the member with the role and returns a one-time invitation token
/// (7 days by default). Only an owner may add an owner. A member id or email the tenant has is 409.
/// </summary>
public sealed class Endpoint(IGrainFactory grains, TimeProvider time, IOptions<SignInOptions> options) : MemberEndpoint<InviteMemberRequest, InviteMemberResponse>
{
    public override void Configure()
    {
        Post("/api/v1/members");
        Permissions(ApiPermissions.MembersWrite);
        Options(b => b.WithMetadata(new RequestSizeLimitAttribute(16 * 1024)));
        Summary(s => s.Summary = "Adds a member and returns the invitation token with which the person joins.");
    }

    public override async Task HandleAsync(InviteMemberRequest req, CancellationToken ct)
    {
        var role = RoleNames.Parse(req.Role);
        if (role == MemberRole.Owner && User.GetActingRole() != MemberRole.Owner)
        {
            Forbidden("only an owner may make another owner");
        }

        var tenantId = User.GetTenantId();
        var actor = await ActorAsync(grains.GetGrain<ITenantGrain>(tenantId), ct);
        var email = AccountEmail.Normalize(req.Email!);
        var member = new TenantMember { Id = req.MemberId ?? AccountRules.MemberIdFromEmail(email), Email = email, Role = role };
        try
        {
            member = await grains.GetGrain<ITenantGrain>(tenantId).AddMemberAsync(actor, member, ct);
        }
        catch (TenantValidationException ex)
        {
            Refused(ex);
        }

        var now = time.GetUtcNow();
        var invitation = new Invitation
        {
            Id = Ulid.New(now),
            TenantId = tenantId,
            MemberId = member.Id,
            Email = email,
            Role = role,
            InvitedBy = actor,
            Expires = now + options.Value.InvitationLifetime,
        };
        var token = await grains.GetGrain<IInvitationGrain>(invitation.Id).IssueAsync(invitation, ct);
        await Send.ResponseAsync(new InviteMemberResponse
        {
            Member = MemberItem.From(member),
            InvitationToken = token,
            AcceptPath = $"/api/v1/invitations/{token}",
            Expires = invitation.Expires,
        }, StatusCodes.Status201Created, ct);
    }
}

public sealed class InviteMemberValidator : Validator<InviteMemberRequest>
{
    public InviteMemberValidator()
    {
        RuleFor(r => r.Email).ValidEmail();
        RuleFor(r => r.Role).ValidRole();
        RuleFor(r => r.MemberId).ValidMemberId().When(r => r.MemberId is not null);
    }
}
