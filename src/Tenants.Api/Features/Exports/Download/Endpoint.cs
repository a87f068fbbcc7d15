using FastEndpoints;
using Microsoft.AspNetCore.Http;
using Tenants.Abstractions.Jobs;
using Tenants.Api.Features.Jobs;
using Tenants.Api.Security;
using Tenants.Ledger.Bundles;

namespace Tenants.Api.Features.Exports.Download;

/// <summary>
/// <c>GET /api/v1/exports/{id}/download</c>: the finished export's tar, streamed from blob storage. Only the tenant
/// that made it finds the job (another tenant gets 404); an export not done yet is 409.
/// </summary>
public sealed class Endpoint(IGrainFactory grains, ILedgerExportStore exports) : Endpoint<JobIdRequest>
{
    public override void Configure()
    {
        Get("/api/v1/exports/{id}/download");
        Permissions(ApiPermissions.ExportsWrite);
        Summary(s =>
        {
            s.Summary = "Download a finished export bundle (application/x-tar) for tenants-verify.";
            s.Responses[StatusCodes.Status200OK] = "The bundle, application/x-tar.";
            s.Responses[StatusCodes.Status409Conflict] = "The export is not done.";
        });
    }

    public override async Task HandleAsync(JobIdRequest req, CancellationToken ct)
    {
        var tenantId = User.GetTenantId();
        var job = await grains.GetGrain<ILedgerJobsGrain>(tenantId).GetAsync(req.Id, ct);
        if (job is not { Kind: LedgerJobKind.Export })
        {
            ThrowError($"no export '{req.Id}' in this tenant", StatusCodes.Status404NotFound);
        }

        if (job.Status != LedgerJobStatus.Done)
        {
            ThrowError($"export '{req.Id}' is {job.Status.ToString().ToLowerInvariant()}, not done; poll /api/v1/exports/{req.Id}", StatusCodes.Status409Conflict);
        }

        var bundle = job.Export?.Deleted == true ? null : await exports.OpenReadAsync(tenantId, req.Id, ct);
        if (bundle is null)
        {
            ThrowError($"the bundle of export '{req.Id}' is no longer stored (bundles are kept for Exports:Retention); start the export again", StatusCodes.Status410Gone);
        }

        await using (bundle)
        {
            HttpContext.Response.Headers.ContentDisposition = $"attachment; filename=\"export-{req.Id}.tar\"";
            if (job.Export?.Sha256 is { Length: > 0 } sha)
            {
                HttpContext.Response.Headers["X-Content-SHA256"] = sha;
            }

            await Send.StreamAsync(bundle, fileName: null, fileLengthBytes: job.Export?.Bytes, contentType: "application/x-tar", cancellation: ct);
        }
    }
}
