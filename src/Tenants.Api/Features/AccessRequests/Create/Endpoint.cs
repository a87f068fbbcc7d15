using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Tenants.Abstractions.Tenancy;
using Tenants.Api.Features.Accounts;
using Tenants.Api.Security;

namespace Tenants.Api.Features.AccessRequests.Create;

/// <summary>
/// <c>POST /api/v1/access-requests</c> (access:request): a member asks for access to an endpoint for some minutes, with
/// a reason. Only a person can hold a grant: a key without a member (an API key, a configured key) gets 409. 201 with
/// the pending request.
/// </summary>
public sealed class Endpoint(IGrainFactory grains, TimeProvider time) : Endpoint<CreateAccessRequest, AccessRequestItem>
{
    public const int DefaultMinutes = 60;

    public override void Configure()
    {
        Post("/api/v1/access-requests");
        Permissions(ApiPermissions.AccessRequest);
        Options(b => b.WithMetadata(new RequestSizeLimitAttribute(16 * 1024)));
        Summary(s => s.Summary = "Requests time-bound access to an endpoint for the calling member; an owner or admin other than them decides.");
    }

    public override async Task HandleAsync(CreateAccessRequest req, CancellationToken ct)
    {
        // A person acts with a role (signed in, or a personal access token); an API key names its issuer but has no role.
        var member = User.GetRole() is null ? null : User.GetMemberId();
        if (member is null)
        {
            ThrowError("a grant is for a person: request access signed in or with your personal access token, not with an API key",
                StatusCodes.Status409Conflict);
            return;
        }

        var tenant = grains.GetGrain<ITenantGrain>(User.GetTenantId());
        try
        {
            var grant = await tenant.RequestAccessAsync(member, req.EndpointId!, req.Reason!, req.Minutes ?? DefaultMinutes, ct);
            await Send.ResponseAsync(AccessRequestItem.From(grant, time.GetUtcNow()), StatusCodes.Status201Created, ct);
        }
        catch (TenantValidationException ex)
        {
            ThrowError(ex.Message, TenantRefusals.Status(ex));
        }
    }
}

public sealed class CreateAccessRequestValidator : Validator<CreateAccessRequest>
{
    public CreateAccessRequestValidator()
    {
        RuleFor(r => r.EndpointId).Must(TenantIds.IsValid)
            .WithMessage("endpointId must be an endpoint id: 1-63 lowercase letters, digits and hyphens, starting with a letter or digit");
        RuleFor(r => r.Reason).Must(r => r is { Length: > 0 and <= 500 } && !string.IsNullOrWhiteSpace(r) && !r.Any(char.IsControl) && r == r.Trim())
            .WithMessage("reason must be 1 to 500 characters, without control characters or surrounding spaces");
        RuleFor(r => r.Minutes).InclusiveBetween(1, 1440).When(r => r.Minutes is not null).WithMessage("minutes must be between 1 and 1440");
    }
}
