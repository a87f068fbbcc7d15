using FastEndpoints;
using Microsoft.AspNetCore.Http;
using Tenants.Abstractions.Jobs;
using Tenants.Api.Features.Jobs;
using Tenants.Api.Security;

namespace Tenants.Api.Features.Ledger.Verifications.Start;

/// <summary>
/// <c>POST /api/v1/ledger/verifications</c>: starts a full verification of the caller's ledger in the background and
/// answers 202 with the job and its <c>Location</c>.
/// </summary>
public sealed class Endpoint(IGrainFactory grains) : EndpointWithoutRequest<JobItem>
{
    public override void Configure()
    {
        Post("/api/v1/ledger/verifications");
        Permissions(ApiPermissions.LedgerRead);
        Summary(s =>
        {
            s.Summary = "Start a full verification of the caller's ledger in the background.";
            s.Responses[StatusCodes.Status202Accepted] = "The job, queued; poll its Location.";
        });
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var job = await grains.GetGrain<ILedgerJobsGrain>(User.GetTenantId()).StartVerificationAsync(JobRequester.Of(User), ct);
        HttpContext.Response.Headers.Location = $"/api/v1/ledger/verifications/{job.Id}";
        await Send.ResponseAsync(JobItem.From(job), StatusCodes.Status202Accepted, ct);
    }
}
