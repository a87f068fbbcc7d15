using FastEndpoints;
using Tenants.Abstractions.Tenancy;
using Tenants.Api.Security;

namespace Tenants.Api.Features.Keys.List;

/// <summary>
/// <c>GET /api/v1/keys</c>: with members:read every key of the tenant; otherwise the caller's own personal access
/// tokens. Any authenticated caller. Never a secret.
/// </summary>
public sealed class Endpoint(IGrainFactory grains, TimeProvider time) : EndpointWithoutRequest<ListKeysResponse>
{
    public override void Configure()
    {
        Get("/api/v1/keys");
        Summary(s => s.Summary = "API keys and personal access tokens of the tenant (all with members:read, else the caller's own).");
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var keys = await grains.GetGrain<ITenantGrain>(User.GetTenantId()).GetKeysAsync(ct);
        var all = User.HasPermission(ApiPermissions.MembersRead);
        var me = User.GetMemberId();
        var now = time.GetUtcNow();
        await Send.OkAsync(new ListKeysResponse
        {
            Items = [.. keys.Where(k => all || (k.Kind == TenantKeyKind.PersonalAccessToken && k.IssuedBy == me)).Select(k => KeyItem.From(k, now))],
        }, ct);
    }
}
