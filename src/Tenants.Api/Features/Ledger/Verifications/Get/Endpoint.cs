using FastEndpoints;
using Microsoft.AspNetCore.Http;
using Tenants.Abstractions.Jobs;
using Tenants.Api.Features.Jobs;
using Tenants.Api.Security;

namespace Tenants.Api.Features.Ledger.Verifications.Get;

/// <summary>
/// <c>GET /api/v1/ledger/verifications/{id}</c>: a verification job of the caller's tenant: status, progress and, once
/// done, the result. Jobs live in the tenant's own grain, so another tenant's job id is unknown (404).
/// </summary>
public sealed class Endpoint(IGrainFactory grains) : Endpoint<JobIdRequest, JobItem>
{
    public override void Configure()
    {
        Get("/api/v1/ledger/verifications/{id}");
        Permissions(ApiPermissions.LedgerRead);
        Summary(s => s.Summary = "Status, progress and result of a verification job.");
    }

    public override async Task HandleAsync(JobIdRequest req, CancellationToken ct)
    {
        var job = await grains.GetGrain<ILedgerJobsGrain>(User.GetTenantId()).GetAsync(req.Id, ct);
        if (job is not { Kind: LedgerJobKind.Verification })
        {
            ThrowError($"no verification '{req.Id}' in this tenant", StatusCodes.Status404NotFound);
        }

        await Send.OkAsync(JobItem.From(job), ct);
    }
}
