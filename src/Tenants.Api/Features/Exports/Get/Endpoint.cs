using FastEndpoints;
using Microsoft.AspNetCore.Http;
using Tenants.Abstractions.Jobs;
using Tenants.Api.Features.Jobs;
using Tenants.Api.Security;

namespace Tenants.Api.Features.Exports.Get;

/// <summary>
/// <c>GET /api/v1/exports/{id}</c>: an export job of the caller's tenant: status, progress, result and download link.
/// Another tenant's export id is unknown (404).
/// </summary>
public sealed class Endpoint(IGrainFactory grains) : Endpoint<JobIdRequest, JobItem>
{
    public override void Configure()
    {
        Get("/api/v1/exports/{id}");
        Permissions(ApiPermissions.ExportsWrite);
        Summary(s => s.Summary = "Status, progress and result of an export job.");
    }

    public override async Task HandleAsync(JobIdRequest req, CancellationToken ct)
    {
        var job = await grains.GetGrain<ILedgerJobsGrain>(User.GetTenantId()).GetAsync(req.Id, ct);
        if (job is not { Kind: LedgerJobKind.Export })
        {
            ThrowError($"no export '{req.Id}' in this tenant", StatusCodes.Status404NotFound);
        }

        await Send.OkAsync(JobItem.From(job), ct);
    }
}
