using FastEndpoints;
using Microsoft.AspNetCore.Http;
using Tenants.Api.Security;

namespace Tenants.Api.Features.Policies.Current;

/// <summary><c>GET /api/v1/policies/current</c>: the version in force and its document; 404 before the first publication.</summary>
public sealed class Endpoint(IGrainFactory grains) : EndpointWithoutRequest<PolicyResponse>
{
    public override void Configure()
    {
        Get("/api/v1/policies/current");
        Permissions(ApiPermissions.PolicyRead);
        Summary(s => s.Summary = "The policy in force (the newest version) with its document.");
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var all = await PolicyVersions.AllAsync(grains, User, ct);
        if (all.Count == 0)
        {
            ThrowError("this tenant has published no policy yet", StatusCodes.Status404NotFound);
        }

        await Send.OkAsync(PolicyVersions.Response(all[^1], all.Count), ct);
    }
}
