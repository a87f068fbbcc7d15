using FastEndpoints;
using Microsoft.AspNetCore.Http;
using Tenants.Abstractions.Tenancy;
using Tenants.Api.Security;

namespace Tenants.Api.Features.AccessRequests.Get;

/// <summary><c>GET /api/v1/access-requests/{id}</c> (access:request): one request the caller may see; 404 otherwise.</summary>
public sealed class Endpoint(IGrainFactory grains, TimeProvider time) : Endpoint<AccessRequestIdRequest, AccessRequestItem>
{
    public override void Configure()
    {
        Get("/api/v1/access-requests/{id}");
        Permissions(ApiPermissions.AccessRequest);
        Summary(s => s.Summary = "One access request (the caller's own, or any with access:decide).");
    }

    public override async Task HandleAsync(AccessRequestIdRequest req, CancellationToken ct)
    {
        var grant = await AccessRequests.FindAsync(grains.GetGrain<ITenantGrain>(User.GetTenantId()), User, req.Id, ct);
        if (grant is null)
        {
            ThrowError(AccessRequests.NotFound(req.Id), StatusCodes.Status404NotFound);
        }

        await Send.OkAsync(AccessRequestItem.From(grant, time.GetUtcNow()), ct);
    }
}
