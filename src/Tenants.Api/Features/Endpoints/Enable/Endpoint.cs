using FastEndpoints;
using Tenants.Api.Features.Endpoints.Get;
using Tenants.Api.Security;

namespace Tenants.Api.Features.Endpoints.Enable;

/// <summary><c>POST /api/v1/endpoints/{id}/enable</c>: enables the endpoint; the edge follows within seconds.</summary>
public sealed class Endpoint : Endpoint<EndpointIdRequest, EndpointResponse>
{
    public override void Configure()
    {
        Post("/api/v1/endpoints/{id}/enable");
        Permissions(ApiPermissions.EndpointsWrite);
        Summary(s => s.Summary = "Enables an endpoint (a disabled one refuses new sessions with SQLSTATE 28000).");
    }

    public override async Task HandleAsync(EndpointIdRequest req, CancellationToken ct)
    {
        var ops = Resolve<EndpointOperations>();
        var actor = await ops.ActorAsync(User, ct);
        await ops.FindAsync(User, req.Id, ct);
        var changed = await EndpointOperations.ChangeAsync(() => ops.Tenant(User).SetEndpointEnabledAsync(actor, req.Id, enabled: true, ct));
        ops.Changed(User, changed.Id, "enabled", actor);
        await Send.OkAsync(ops.Response(changed), ct);
    }
}

