using System.Globalization;
using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Tenants.Abstractions.Accounts;
using Tenants.Api.Features.Accounts.Me;
using Tenants.Api.Hosting;

namespace Tenants.Api.Features.Accounts.SignIn;

/// <summary>
/// <c>POST /api/v1/session</c> (anonymous, rate-limited): signs a person in with the session cookie. A wrong email or
/// password is 401 (the same answer for both); a locked account is 429 with <c>Retry-After</c> and the time it unlocks;
/// a tenant the person does not belong to is 403.
/// </summary>
public sealed class Endpoint(IGrainFactory grains, TimeProvider time) : MemberEndpoint<SignInRequest, MeResponse>
{
    public override void Configure()
    {
        Post("/api/v1/session");
        AllowAnonymous();
        Options(b => b.RequireRateLimiting(AccountsServiceCollectionExtensions.SignInRateLimit).WithMetadata(new RequestSizeLimitAttribute(16 * 1024)));
        Summary(s => s.Summary = "Signs in with email and password (session cookie); the answer is GET /me's.");
    }

    public override async Task HandleAsync(SignInRequest req, CancellationToken ct)
    {
        var email = AccountEmail.Normalize(req.Email!);
        var outcome = await grains.GetGrain<IAccountGrain>(email).SignInAsync(req.Password!, ct);
        if (outcome.LockedUntil is { } until)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling((until - time.GetUtcNow()).TotalSeconds));
            HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            ThrowError($"too many failed sign-ins: this account is locked until {until.ToUniversalTime():yyyy-MM-dd HH:mm:ss} UTC (in {seconds} seconds)",
                StatusCodes.Status429TooManyRequests);
        }

        var account = outcome.Account;
        if (account is null)
        {
            ThrowError("the email or the password is wrong", StatusCodes.Status401Unauthorized);
        }

        foreach (var membership in account.Memberships.Where(m => req.TenantId is null || m.TenantId == req.TenantId))
        {
            if (await AccountSessions.FindAsync(grains, membership, email, ct) is { } found)
            {
                var user = await AccountSessions.SignInAsync(HttpContext, membership.TenantId, found.Member, email);
                await Send.OkAsync(await AccountSessions.DescribeAsync(grains, user, ct), ct);
                return;
            }
        }

        ThrowError(req.TenantId is null ? "you are not a member of any tenant" : $"you are not a member of tenant '{req.TenantId}'",
            StatusCodes.Status403Forbidden);
    }
}

public sealed class SignInValidator : Validator<SignInRequest>
{
    public SignInValidator()
    {
        RuleFor(r => r.Email).Must(e => e is { Length: > 0 and <= 254 }).WithMessage("email is required");
        RuleFor(r => r.Password).Must(p => p is { Length: > 0 and <= AccountPasswordRules.MaxLength }).WithMessage("password is required");
        RuleFor(r => r.TenantId).ValidTenantId().When(r => r.TenantId is not null);
    }
}
