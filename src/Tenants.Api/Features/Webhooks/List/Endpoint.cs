using FastEndpoints;
using Tenants.Abstractions.Webhooks;
using Tenants.Api.Security;

namespace Tenants.Api.Features.Webhooks.List;

/// <summary><c>GET /api/v1/webhooks</c>: the caller's webhooks with their delivery state; never a secret.</summary>
public sealed class Endpoint(IGrainFactory grains) : EndpointWithoutRequest<WebhookList>
{
    public override void Configure()
    {
        Get("/api/v1/webhooks");
        Permissions(ApiPermissions.EventsRead);
        Summary(s => s.Summary = "List the tenant's webhooks (status, cursor, failures, dead letters).");
    }

    public override async Task HandleAsync(CancellationToken ct) =>
        await Send.OkAsync(new WebhookList(await grains.GetGrain<IWebhooksGrain>(User.GetTenantId()).ListAsync(ct)), ct);
}
