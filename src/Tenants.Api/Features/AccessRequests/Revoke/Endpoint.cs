using Microsoft.AspNetCore.Http;
using Tenants.Abstractions.Tenancy;
using Tenants.Api.Features.Accounts;
using Tenants.Api.Security;

namespace Tenants.Api.Features.AccessRequests.Revoke;

/// <summary>
/// <c>POST /api/v1/access-requests/{id}/revoke</c> (access:request): withdraws a pending request or ends an approved
/// grant at once; one's own, or anyone's with access:decide. 404 for a request the caller cannot see; 409 for one that
/// is rejected or expired already.
/// </summary>
public sealed class Endpoint(IGrainFactory grains, TimeProvider time) : MemberEndpoint<AccessRequestIdRequest, AccessRequestItem>
{
    public override void Configure()
    {
        Post("/api/v1/access-requests/{id}/revoke");
        Permissions(ApiPermissions.AccessRequest);
        Summary(s => s.Summary = "Withdraws a pending access request or ends a grant now (one's own, or any with access:decide).");
    }

    public override async Task HandleAsync(AccessRequestIdRequest req, CancellationToken ct)
    {
        var tenant = grains.GetGrain<ITenantGrain>(User.GetTenantId());
        if (await AccessRequests.FindAsync(tenant, User, req.Id, ct) is null)
        {
            ThrowError(AccessRequests.NotFound(req.Id), StatusCodes.Status404NotFound);
        }

        var actor = await ActorAsync(tenant, ct);
        try
        {
            await Send.OkAsync(AccessRequestItem.From(await tenant.RevokeAccessAsync(actor, req.Id, ct), time.GetUtcNow()), ct);
        }
        catch (TenantValidationException ex)
        {
            ThrowError(ex.Message, TenantRefusals.Status(ex));
        }
    }
}
