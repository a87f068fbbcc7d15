using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Tenants.Abstractions.Tenancy;
using Tenants.Api.Features.Accounts;
using Tenants.Api.Security;

namespace Tenants.Api.Features.Keys.Issue;

/// <summary>
/// <c>POST /api/v1/keys</c>: issues an API key (members:write; its scopes must be permissions the caller holds) or a
/// personal access token for the calling member (any role; scopes <c>db:connect[:&lt;endpoint&gt;]</c> and permissions
/// the caller holds). 201 with the secret, shown this once.
/// </summary>
public sealed class Endpoint(IGrainFactory grains, TimeProvider time) : MemberEndpoint<IssueKeyRequest, IssueKeyResponse>
{
    public override void Configure()
    {
        Post("/api/v1/keys");
        Options(b => b.WithMetadata(new RequestSizeLimitAttribute(16 * 1024)));
        Summary(s => s.Summary = "Issues an API key or a personal access token; the secret is in this answer only.");
    }

    public override async Task HandleAsync(IssueKeyRequest req, CancellationToken ct)
    {
        var held = User.GetPermissions();
        var personal = string.Equals(req.Kind, KeyItem.PersonalAccessToken, StringComparison.OrdinalIgnoreCase);
        if (!personal && !held.Contains(ApiPermissions.MembersWrite))
        {
            Forbidden($"issuing an API key needs the permission {ApiPermissions.MembersWrite}; any member may issue a personal access token");
        }

        if (personal && User.GetRole() is null)
        {
            Forbidden("a personal access token is a member's own: issue it signed in, or with another of your tokens, not with an API key");
        }

        foreach (var scope in req.Scopes!)
        {
            var connect = personal && (scope == TenantScopes.Connect || (scope.StartsWith(TenantScopes.Connect + ":", StringComparison.Ordinal)
                && TenantIds.IsValid(scope[(TenantScopes.Connect.Length + 1)..])));
            if (!connect && !ApiPermissions.All.Contains(scope))
            {
                AddError(r => r.Scopes, personal
                    ? $"scope '{scope}' is not {TenantScopes.Connect}, {TenantScopes.Connect}:<endpoint-id> or a permission ({string.Join(", ", ApiPermissions.All)})"
                    : $"scope '{scope}' is not a permission ({string.Join(", ", ApiPermissions.All)})");
            }
            else if (!connect && !held.Contains(scope))
            {
                AddError(r => r.Scopes, $"you do not hold the permission '{scope}', so no key of yours can");
            }
        }

        ThrowIfAnyErrors();
        var tenant = grains.GetGrain<ITenantGrain>(User.GetTenantId());
        var actor = await ActorAsync(tenant, ct);
        try
        {
            var issued = await tenant.IssueKeyAsync(actor, new TenantKeyRequest
            {
                Name = req.Name!,
                Kind = personal ? TenantKeyKind.PersonalAccessToken : TenantKeyKind.ApiKey,
                Scopes = req.Scopes.Distinct().ToList(),
                Expires = req.Expires,
            }, ct);
            await Send.ResponseAsync(new IssueKeyResponse { Key = KeyItem.From(issued.Key, time.GetUtcNow()), Secret = issued.Secret },
                StatusCodes.Status201Created, ct);
        }
        catch (TenantValidationException ex)
        {
            Refused(ex);
        }
    }
}

public sealed class IssueKeyValidator : Validator<IssueKeyRequest>
{
    public IssueKeyValidator()
    {
        RuleFor(r => r.Name).Must(n => n is { Length: > 0 and <= 100 } && !string.IsNullOrWhiteSpace(n) && !n.Any(char.IsControl))
            .WithMessage("name must be 1 to 100 characters without control characters");
        RuleFor(r => r.Kind).Must(k => string.Equals(k, KeyItem.ApiKey, StringComparison.OrdinalIgnoreCase)
                || string.Equals(k, KeyItem.PersonalAccessToken, StringComparison.OrdinalIgnoreCase))
            .WithMessage($"kind must be {KeyItem.ApiKey} or {KeyItem.PersonalAccessToken}");
        RuleFor(r => r.Scopes).Must(s => s is { Count: > 0 and <= 32 } && s.All(x => x is { Length: > 0 and <= 64 }))
            .WithMessage("scopes must list 1 to 32 scopes of at most 64 characters");
    }
}
