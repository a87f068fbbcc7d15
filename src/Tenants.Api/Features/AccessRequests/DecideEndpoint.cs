using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Tenants.Abstractions.Tenancy;
using Tenants.Api.Features.Accounts;
using Tenants.Api.Security;

namespace Tenants.Api.Features.AccessRequests;

/// <summary>
/// Approve and reject (access:decide): the decider is the calling member (a key acts as the tenant's first owner). The
/// grain refuses deciding one's own request and a request that is not pending (409); an unknown id is 404.
/// </summary>
public abstract class DecideEndpoint(IGrainFactory grains, TimeProvider time) : MemberEndpoint<DecideAccessRequest, AccessRequestItem>
{
    /// <summary>Approve, or reject.</summary>
    protected abstract bool Approve { get; }

    public override void Configure()
    {
        Post($"/api/v1/access-requests/{{id}}/{(Approve ? "approve" : "reject")}");
        Permissions(ApiPermissions.AccessDecide);
        Options(b => b.WithMetadata(new RequestSizeLimitAttribute(16 * 1024)));
        Summary(s => s.Summary = Approve
            ? "Approves a pending access request: the grant runs from now for its minutes. Not one's own."
            : "Rejects a pending access request. Not one's own.");
    }

    public override async Task HandleAsync(DecideAccessRequest req, CancellationToken ct)
    {
        var tenant = grains.GetGrain<ITenantGrain>(User.GetTenantId());
        if (await AccessRequests.FindAsync(tenant, User, req.Id, ct) is null)
        {
            ThrowError(AccessRequests.NotFound(req.Id), StatusCodes.Status404NotFound);
        }

        var actor = await ActorAsync(tenant, ct);
        try
        {
            var decided = await tenant.DecideAccessAsync(actor, req.Id, Approve, req.Note, ct);
            await Send.OkAsync(AccessRequestItem.From(decided, time.GetUtcNow()), ct);
        }
        catch (TenantValidationException ex)
        {
            ThrowError(ex.Message, TenantRefusals.Status(ex));
        }
    }
}
