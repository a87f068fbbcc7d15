using FastEndpoints;
using Tenants.Api.Features.Endpoints.Get;
using Tenants.Api.Security;

namespace Tenants.Api.Features.Endpoints.Delete;

/// <summary>
/// <c>DELETE /api/v1/endpoints/{id}</c>: the endpoint becomes unknown to clients; its record and history stay, and its
/// id stays reserved. Deleting again answers the deleted endpoint.
/// </summary>
public sealed class Endpoint : Endpoint<EndpointIdRequest, EndpointResponse>
{
    public override void Configure()
    {
        Delete("/api/v1/endpoints/{id}");
        Permissions(ApiPermissions.EndpointsWrite);
        Summary(s => s.Summary = "Deletes an endpoint: unknown to clients from then on, history kept, id reserved for good.");
    }

    public override async Task HandleAsync(EndpointIdRequest req, CancellationToken ct)
    {
        var ops = Resolve<EndpointOperations>();
        var actor = await ops.ActorAsync(User, ct);
        await ops.FindAsync(User, req.Id, ct);
        var deleted = await EndpointOperations.ChangeAsync(() => ops.Tenant(User).DeleteEndpointAsync(actor, req.Id, ct));
        ops.Changed(User, deleted.Id, "deleted", actor);
        await Send.OkAsync(ops.Response(deleted), ct);
    }
}

