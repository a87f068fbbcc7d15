using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http;
using Tenants.Abstractions.Tenancy;
using Tenants.Api.Features.Accounts;
using Tenants.Api.Security;

namespace Tenants.Api.Features.Keys.Revoke;

/// <summary>
/// <c>DELETE /api/v1/keys/{keyId}</c>: revokes a key at once; one's own personal access token, or any key with
/// members:write. An id the tenant does not have is 404. Answers the revoked record.
/// </summary>
public sealed class Endpoint(IGrainFactory grains, TimeProvider time) : MemberEndpoint<RevokeKeyRequest, KeyItem>
{
    public override void Configure()
    {
        Delete("/api/v1/keys/{keyId}");
        Summary(s => s.Summary = "Revokes an API key or personal access token.");
    }

    public override async Task HandleAsync(RevokeKeyRequest req, CancellationToken ct)
    {
        var tenant = grains.GetGrain<ITenantGrain>(User.GetTenantId());
        var actor = await ActorAsync(tenant, ct);
        var key = (await tenant.GetKeysAsync(ct)).FirstOrDefault(k => k.Id == req.KeyId);
        var own = key is { Kind: TenantKeyKind.PersonalAccessToken } && key.IssuedBy == actor && User.GetRole() is not null;
        if (key is null || (!own && !User.HasPermission(ApiPermissions.MembersRead)))
        {
            // Without members:read the caller cannot see others' keys, so they do not exist for them.
            ThrowError($"this tenant has no key '{req.KeyId}' of yours", StatusCodes.Status404NotFound);
        }

        if (!own && !User.HasPermission(ApiPermissions.MembersWrite))
        {
            Forbidden($"revoking a key other than your own personal access token needs the permission {ApiPermissions.MembersWrite}");
        }

        try
        {
            await Send.OkAsync(KeyItem.From(await tenant.RevokeKeyAsync(actor, req.KeyId, ct), time.GetUtcNow()), ct);
        }
        catch (TenantValidationException ex)
        {
            Refused(ex);
        }
    }
}

public sealed class RevokeKeyValidator : Validator<RevokeKeyRequest>
{
    public RevokeKeyValidator() =>
        RuleFor(r => r.KeyId).Must(id => id is { Length: 26 } && id.All(char.IsAsciiLetterOrDigit)).WithMessage("keyId must be a key id (26 letters and digits)");
}
