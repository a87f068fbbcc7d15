using FastEndpoints;
using FluentValidation;
using Tenants.Abstractions.Tenancy;
using Tenants.Api.Security;

namespace Tenants.Api.Features.AccessRequests.List;

/// <summary>
/// <c>GET /api/v1/access-requests</c> (access:request): with access:decide every request of the tenant, otherwise the
/// caller's own; newest first, filtered by status (computed from the time now), member and endpoint.
/// </summary>
public sealed class Endpoint(IGrainFactory grains, TimeProvider time) : Endpoint<ListAccessRequestsRequest, ListAccessRequestsResponse>
{
    public override void Configure()
    {
        Get("/api/v1/access-requests");
        Permissions(ApiPermissions.AccessRequest);
        Summary(s => s.Summary = "Access requests and grants: all with access:decide, else the caller's own; newest first.");
    }

    public override async Task HandleAsync(ListAccessRequestsRequest req, CancellationToken ct)
    {
        var tenant = grains.GetGrain<ITenantGrain>(User.GetTenantId());
        var all = await tenant.GetAccountAsync(ct) is null ? [] : await tenant.GetAccessGrantsAsync(ct);
        var now = time.GetUtcNow();
        var limit = req.Limit ?? 100;
        var page = all
            .Where(g => AccessRequests.Visible(User, g))
            .Where(g => req.Status is null || AccessRequestItem.StatusName(g.StatusAt(now)) == req.Status)
            .Where(g => req.Member is null || g.MemberId == req.Member)
            .Where(g => req.Endpoint is null || g.EndpointId == req.Endpoint)
            .Where(g => req.Before is null || string.CompareOrdinal(g.Id, req.Before) < 0)
            .OrderByDescending(g => g.Id, StringComparer.Ordinal)
            .Take(limit + 1)
            .ToList();
        var more = page.Count > limit;
        var items = page.Take(limit).Select(g => AccessRequestItem.From(g, now)).ToList();
        await Send.OkAsync(new ListAccessRequestsResponse { Items = items, Next = more ? items[^1].Id : null }, ct);
    }
}

public sealed class ListAccessRequestsValidator : Validator<ListAccessRequestsRequest>
{
    private static readonly string[] Statuses = ["pending", "approved", "rejected", "revoked", "expired"];

    public ListAccessRequestsValidator()
    {
        RuleFor(r => r.Status).Must(s => Statuses.Contains(s)).When(r => r.Status is not null)
            .WithMessage($"status must be one of {string.Join(", ", Statuses)}");
        RuleFor(r => r.Member).Must(TenantIds.IsValidMember).When(r => r.Member is not null).WithMessage("member must be a member id");
        RuleFor(r => r.Endpoint).Must(TenantIds.IsValid).When(r => r.Endpoint is not null).WithMessage("endpoint must be an endpoint id");
        RuleFor(r => r.Limit).InclusiveBetween(1, 1000).When(r => r.Limit is not null).WithMessage("limit must be between 1 and 1000");
        RuleFor(r => r.Before).Must(AccessRequests.IsId).When(r => r.Before is not null).WithMessage("before must be an access request id (the next of a page)");
    }
}
