using FastEndpoints;
using FluentValidation;
using Tenants.Api.Security;

namespace Tenants.Api.Features.Policies.List;

/// <summary><c>GET /api/v1/policies</c>: who published which version when, newest first, paged by version.</summary>
public sealed class Endpoint(IGrainFactory grains) : Endpoint<ListPoliciesRequest, ListPoliciesResponse>
{
    public override void Configure()
    {
        Get("/api/v1/policies");
        Permissions(ApiPermissions.PolicyRead);
        Summary(s => s.Summary = "Policy versions: version, author, time, SHA-256 and size, newest first.");
    }

    public override async Task HandleAsync(ListPoliciesRequest req, CancellationToken ct)
    {
        var all = await PolicyVersions.AllAsync(grains, User, ct);
        var limit = req.Limit ?? 50;
        var page = all.Where(p => req.Before is null || p.Version < req.Before).OrderByDescending(p => p.Version).Take(limit).ToList();
        await Send.OkAsync(new ListPoliciesResponse
        {
            Items = [.. page.Select(p => PolicyVersions.Item(p, all.Count))],
            Next = page.Count == limit && page[^1].Version > 1 ? page[^1].Version : null,
        }, ct);
    }
}

/// <summary>Paging bounds.</summary>
public sealed class ListPoliciesValidator : Validator<ListPoliciesRequest>
{
    public ListPoliciesValidator()
    {
        RuleFor(r => r.Limit).InclusiveBetween(1, 1000).When(r => r.Limit is not null).WithMessage("limit must be between 1 and 1000");
        RuleFor(r => r.Before).GreaterThan(0).When(r => r.Before is not null).WithMessage("before must be a policy version (1 or more)");
    }
}
