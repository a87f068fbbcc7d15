using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Tenants.Abstractions.Accounts;
using Tenants.Api.Features.Accounts;
using Tenants.Api.Hosting;

namespace Tenants.Api.Features.Invitations.Accept;

/// <summary>
/// <c>POST /api/v1/invitations/{token}</c> (anonymous, rate-limited): the invited person joins. Without an account they
/// set a password, get one and are signed in; with one, the tenant is added to it and they sign in as usual. An unknown
/// token is 404; a used or expired one, or one whose member was removed since, 410.
/// </summary>
public sealed class Endpoint(IGrainFactory grains) : MemberEndpoint<AcceptInvitationRequest, AcceptInvitationResponse>
{
    private const string Prefix = "inv_";

    public override void Configure()
    {
        Post("/api/v1/invitations/{token}");
        AllowAnonymous();
        Options(b => b.RequireRateLimiting(AccountsServiceCollectionExtensions.SignInRateLimit).WithMetadata(new RequestSizeLimitAttribute(16 * 1024)));
        Summary(s => s.Summary = "Accepts an invitation: creates the account (with a password) or adds the tenant to the existing one.");
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private void Gone(string failure) =>
        ThrowError(failure, failure.Contains("unknown", StringComparison.Ordinal) ? StatusCodes.Status404NotFound : StatusCodes.Status410Gone);

    public override async Task HandleAsync(AcceptInvitationRequest req, CancellationToken ct)
    {
        // inv_<ULID>_<secret, base64url, which may itself hold '_'>
        var id = req.Token.Length > Prefix.Length + 27 && req.Token.StartsWith(Prefix, StringComparison.Ordinal) && req.Token[Prefix.Length + 26] == '_'
            ? req.Token.Substring(Prefix.Length, 26)
            : string.Empty;
        if (!id.All(char.IsAsciiLetterOrDigit) || id.Length == 0)
        {
            ThrowError("the invitation is unknown", StatusCodes.Status404NotFound);
        }

        var grain = grains.GetGrain<IInvitationGrain>(id);
        var check = await grain.CheckAsync(req.Token, ct);
        var invitation = check.Invitation;
        if (invitation is null)
        {
            Gone(check.Failure!);
        }

        var membership = new AccountMembership(invitation.TenantId, invitation.MemberId);
        var found = await AccountSessions.FindAsync(grains, membership, invitation.Email, ct);
        if (found is null)
        {
            ThrowError($"member '{invitation.MemberId}' was removed from the tenant after the invitation was made", StatusCodes.Status410Gone);
        }

        var account = grains.GetGrain<IAccountGrain>(invitation.Email);
        var exists = await account.GetAsync(ct) is not null;
        if (!exists && AccountPasswordRules.Check(req.Password, invitation.Email) is { } problem)
        {
            // Checked before the invitation is used, so a weak password does not cost the person their invitation.
            ThrowError($"{problem}; the invitation was not used, send it again with a password", StatusCodes.Status400BadRequest);
        }

        var redemption = await grain.RedeemAsync(req.Token, ct);
        if (redemption.Invitation is null)
        {
            Gone(redemption.Failure!);
        }

        var created = !exists && await account.CreateAsync(req.Password!, membership, ct);
        if (!created)
        {
            await account.AddMembershipAsync(membership, ct);
        }

        if (created)
        {
            await AccountSessions.SignInAsync(HttpContext, invitation.TenantId, found.Value.Member, invitation.Email);
        }

        await Send.OkAsync(new AcceptInvitationResponse
        {
            TenantId = invitation.TenantId,
            MemberId = invitation.MemberId,
            Email = invitation.Email,
            AccountCreated = created,
            SignedIn = created,
        }, ct);
    }
}

public sealed class AcceptInvitationValidator : Validator<AcceptInvitationRequest>
{
    public AcceptInvitationValidator() =>
        RuleFor(r => r.Token).Must(t => t is { Length: > 0 and <= 200 }).WithMessage("token must be 1 to 200 characters");
}
