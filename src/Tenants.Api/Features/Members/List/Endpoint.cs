using FastEndpoints;
using Tenants.Abstractions.Tenancy;
using Tenants.Api.Security;

namespace Tenants.Api.Features.Members.List;

/// <summary><c>GET /api/v1/members</c>: the caller's tenant's members (members:read).</summary>
public sealed class Endpoint(IGrainFactory grains) : EndpointWithoutRequest<ListMembersResponse>
{
    public override void Configure()
    {
        Get("/api/v1/members");
        Permissions(ApiPermissions.MembersRead);
        Summary(s => s.Summary = "The members of the caller's tenant with their roles.");
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var members = await grains.GetGrain<ITenantGrain>(User.GetTenantId()).GetMembersAsync(ct);
        await Send.OkAsync(new ListMembersResponse { Items = [.. members.Select(MemberItem.From)] }, ct);
    }
}
