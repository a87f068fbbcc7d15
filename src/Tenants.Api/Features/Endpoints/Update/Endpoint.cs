using FastEndpoints;
using Tenants.Api.Security;

namespace Tenants.Api.Features.Endpoints.Update;

/// <summary><c>PATCH /api/v1/endpoints/{id}</c>: changes settings; new sessions use them within seconds.</summary>
public sealed class Endpoint : Endpoint<UpdateEndpointRequest, EndpointResponse>
{
    public override void Configure()
    {
        Patch("/api/v1/endpoints/{id}");
        Permissions(ApiPermissions.EndpointsWrite);
        Summary(s => s.Summary = "Changes an endpoint's settings; fields left out keep their values, an omitted password keeps the stored one.");
    }

    public override async Task HandleAsync(UpdateEndpointRequest req, CancellationToken ct)
    {
        var ops = Resolve<EndpointOperations>();
        var actor = await ops.ActorAsync(User, ct);
        var current = await ops.FindAsync(User, req.Id, ct);
        var settings = EndpointOperations.Settings(() =>
            EndpointSettingsMapper.Apply(req.Id, req, current.Settings, req.RemoveBroker == true, ops.Sealer(User, req.Id)));
        var updated = await EndpointOperations.ChangeAsync(() => ops.Tenant(User).UpdateEndpointAsync(actor, settings, ct));
        ops.Changed(User, updated.Id, "changed", actor);
        await Send.OkAsync(ops.Response(updated), ct);
    }
}

/// <summary>The id, and the settings rules every endpoint action shares.</summary>
public sealed class UpdateEndpointValidator : Validator<UpdateEndpointRequest>
{
    public UpdateEndpointValidator()
    {
        RuleFor(r => r.Id).ValidEndpointId();
        EndpointRules.AddSettingsRules(this);
    }
}
