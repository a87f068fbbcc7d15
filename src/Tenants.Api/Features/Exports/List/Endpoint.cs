using FastEndpoints;
using FluentValidation;
using Tenants.Abstractions.Jobs;
using Tenants.Api.Features.Jobs;
using Tenants.Api.Security;

namespace Tenants.Api.Features.Exports.List;

/// <summary><c>GET /api/v1/exports</c>: the caller's export jobs, newest first, with cursor paging.</summary>
public sealed class Endpoint(IGrainFactory grains) : Endpoint<ListExportsRequest, JobList>
{
    private const int DefaultLimit = 20;

    public override void Configure()
    {
        Get("/api/v1/exports");
        Permissions(ApiPermissions.ExportsWrite);
        Summary(s => s.Summary = "The caller's export jobs, newest first.");
    }

    public override async Task HandleAsync(ListExportsRequest req, CancellationToken ct)
    {
        var limit = req.Limit ?? DefaultLimit;
        var jobs = await grains.GetGrain<ILedgerJobsGrain>(User.GetTenantId()).ListAsync(LedgerJobKind.Export, ct);
        // Job ids are ULIDs, so ordinal order is creation order.
        var page = jobs.Where(j => req.Before is null || string.CompareOrdinal(j.Id, req.Before) < 0).Take(limit + 1).ToList();
        await Send.OkAsync(new JobList
        {
            Items = [.. page.Take(limit).Select(JobItem.From)],
            Next = page.Count > limit ? page[limit - 1].Id : null,
        }, ct);
    }
}

/// <summary>Paging bounds.</summary>
public sealed class ListExportsValidator : Validator<ListExportsRequest>
{
    public ListExportsValidator()
    {
        RuleFor(r => r.Limit).InclusiveBetween(1, 100).When(r => r.Limit is not null).WithMessage("limit must be between 1 and 100");
        RuleFor(r => r.Before).Must(b => b is { Length: 26 } && b.All(char.IsAsciiLetterOrDigit)).When(r => r.Before is not null)
            .WithMessage("before must be a job id (the previous page's next)");
    }
}
