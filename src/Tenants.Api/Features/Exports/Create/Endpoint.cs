using FastEndpoints;
using Microsoft.AspNetCore.Http;
using Tenants.Abstractions.Jobs;
using Tenants.Api.Features.Events;
using Tenants.Api.Features.Jobs;
using Tenants.Api.Security;

namespace Tenants.Api.Features.Exports.Create;

/// <summary>
/// <c>POST /api/v1/exports</c>: starts a compliance export of the caller's events matching the filters, in the
/// background, and answers 202 with the job and its <c>Location</c>.
/// </summary>
public sealed class Endpoint(IGrainFactory grains) : Endpoint<CreateExportRequest, JobItem>
{
    public override void Configure()
    {
        Post("/api/v1/exports");
        Permissions(ApiPermissions.ExportsWrite);
        Summary(s =>
        {
            s.Summary = "Start a compliance export (events, blocks, checkpoints, proofs, keys, manifest, README) in the background.";
            s.Responses[StatusCodes.Status202Accepted] = "The job, queued; poll its Location.";
        });
    }

    public override async Task HandleAsync(CreateExportRequest req, CancellationToken ct)
    {
        var query = req.ToExportQuery();
        var job = await grains.GetGrain<ILedgerJobsGrain>(User.GetTenantId()).StartExportAsync(query, JobRequester.Of(User), ct);
        HttpContext.Response.Headers.Location = $"/api/v1/exports/{job.Id}";
        await Send.ResponseAsync(JobItem.From(job), StatusCodes.Status202Accepted, ct);
    }
}

/// <summary>The same rules as the event search's filters.</summary>
public sealed class CreateExportValidator : Validator<CreateExportRequest>
{
    public CreateExportValidator() => this.AddEventFilterRules();
}
