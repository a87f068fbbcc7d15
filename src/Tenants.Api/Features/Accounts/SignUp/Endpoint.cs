using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Tenants.Abstractions.Accounts;
using Tenants.Abstractions.Tenancy;
using Tenants.Api.Features.Accounts.Me;
using Tenants.Api.Hosting;

namespace Tenants.Api.Features.Accounts.SignUp;

/// <summary>
/// <c>POST /api/v1/signup</c> (anonymous, rate-limited): creates the tenant with the person as its owner, and their
/// account, then signs them in. A taken tenant id or an email that already has an account is 409.
/// </summary>
public sealed class Endpoint(IGrainFactory grains) : MemberEndpoint<SignUpRequest, MeResponse>
{
    public override void Configure()
    {
        Post("/api/v1/signup");
        AllowAnonymous();
        Options(b => b.RequireRateLimiting(AccountsServiceCollectionExtensions.SignInRateLimit).WithMetadata(new RequestSizeLimitAttribute(16 * 1024)));
        Summary(s => s.Summary = "Creates a tenant and its owner's account, and signs the owner in (session cookie).");
    }

    public override async Task HandleAsync(SignUpRequest req, CancellationToken ct)
    {
        var email = AccountEmail.Normalize(req.Email!);
        var account = grains.GetGrain<IAccountGrain>(email);
        if (await account.GetAsync(ct) is not null)
        {
            ThrowError($"an account with the email '{email}' exists already: sign in and create the tenant from there, or use another email", StatusCodes.Status409Conflict);
        }

        var owner = new TenantMember { Id = req.MemberId ?? AccountRules.MemberIdFromEmail(email), Email = email, Role = MemberRole.Owner };
        try
        {
            await grains.GetGrain<ITenantGrain>(req.TenantId!).CreateAsync(req.TenantName!, owner, ct);
        }
        catch (TenantValidationException ex)
        {
            Refused(ex);
        }

        if (!await account.CreateAsync(req.Password!, new AccountMembership(req.TenantId!, owner.Id), ct))
        {
            ThrowError($"an account with the email '{email}' exists already", StatusCodes.Status409Conflict);
        }

        var user = await AccountSessions.SignInAsync(HttpContext, req.TenantId!, owner, email);
        await Send.ResponseAsync(await AccountSessions.DescribeAsync(grains, user, ct), StatusCodes.Status201Created, ct);
    }
}

/// <summary>Every field is checked before anything is created.</summary>
public sealed class SignUpValidator : Validator<SignUpRequest>
{
    public SignUpValidator()
    {
        RuleFor(r => r.TenantId).ValidTenantId();
        RuleFor(r => r.TenantName).Must(n => n is { Length: > 0 and <= 100 } && !string.IsNullOrWhiteSpace(n) && !n.Any(char.IsControl))
            .WithMessage("tenantName must be 1 to 100 characters without control characters");
        RuleFor(r => r.Email).ValidEmail();
        RuleFor(r => r.Password).Must((r, p) => AccountPasswordRules.Check(p, r.Email ?? string.Empty) is null)
            .WithMessage((r, p) => AccountPasswordRules.Check(p, r.Email ?? string.Empty));
        RuleFor(r => r.MemberId).ValidMemberId().When(r => r.MemberId is not null);
    }
}
