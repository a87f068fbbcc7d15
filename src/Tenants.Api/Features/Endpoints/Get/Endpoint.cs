using FastEndpoints;
using Tenants.Api.Security;

namespace Tenants.Api.Features.Endpoints.Get;

/// <summary><c>GET /api/v1/endpoints/{id}</c>: one endpoint of the caller's tenant with its address and status; another tenant's is 404.</summary>
public sealed class Endpoint : Endpoint<EndpointIdRequest, EndpointResponse>
{
    public override void Configure()
    {
        Get("/api/v1/endpoints/{id}");
        Permissions(ApiPermissions.EndpointsRead);
        Summary(s => s.Summary = "One endpoint: settings, address, connection strings and live status.");
    }

    public override async Task HandleAsync(EndpointIdRequest req, CancellationToken ct)
    {
        var ops = Resolve<EndpointOperations>();
        var endpoint = await ops.FindAsync(User, req.Id, ct);
        await Send.OkAsync(await ops.ResponseAsync(User, endpoint, ct), ct);
    }
}

/// <summary>An endpoint id in the route.</summary>
public sealed class EndpointIdValidator : Validator<EndpointIdRequest>
{
    public EndpointIdValidator() => RuleFor(r => r.Id).ValidEndpointId();
}
