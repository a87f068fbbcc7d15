using FastEndpoints;
using Tenants.Api.Security;

namespace Tenants.Api.Features.Endpoints.List;

/// <summary><c>GET /api/v1/endpoints</c>: the caller's endpoints; deleted ones only with <c>includeDeleted=true</c>.</summary>
public sealed class Endpoint : Endpoint<ListEndpointsRequest, ListEndpointsResponse>
{
    public override void Configure()
    {
        Get("/api/v1/endpoints");
        Permissions(ApiPermissions.EndpointsRead);
        Summary(s => s.Summary = "The tenant's endpoints with addresses and connection strings (no live status: get one endpoint for that).");
    }

    public override async Task HandleAsync(ListEndpointsRequest req, CancellationToken ct)
    {
        var ops = Resolve<EndpointOperations>();
        var endpoints = await ops.ListAsync(User, ct);
        await Send.OkAsync(new ListEndpointsResponse
        {
            Items = [.. endpoints.Where(e => req.IncludeDeleted || !e.Deleted).Select(ops.Response)],
        }, ct);
    }
}
