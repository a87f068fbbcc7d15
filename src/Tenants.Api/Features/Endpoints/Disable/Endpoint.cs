using FastEndpoints;
using Tenants.Api.Features.Endpoints.Get;
using Tenants.Api.Security;

namespace Tenants.Api.Features.Endpoints.Disable;

/// <summary><c>POST /api/v1/endpoints/{id}/disable</c>: disables the endpoint; the edge follows within seconds.</summary>
public sealed class Endpoint : Endpoint<EndpointIdRequest, EndpointResponse>
{
    public override void Configure()
    {
        Post("/api/v1/endpoints/{id}/disable");
        Permissions(ApiPermissions.EndpointsWrite);
        Summary(s => s.Summary = "Disables an endpoint (a disabled one refuses new sessions with SQLSTATE 28000).");
    }

    public override async Task HandleAsync(EndpointIdRequest req, CancellationToken ct)
    {
        var ops = Resolve<EndpointOperations>();
        var actor = await ops.ActorAsync(User, ct);
        await ops.FindAsync(User, req.Id, ct);
        var changed = await EndpointOperations.ChangeAsync(() => ops.Tenant(User).SetEndpointEnabledAsync(actor, req.Id, enabled: false, ct));
        ops.Changed(User, changed.Id, "disabled", actor);
        await Send.OkAsync(ops.Response(changed), ct);
    }
}

