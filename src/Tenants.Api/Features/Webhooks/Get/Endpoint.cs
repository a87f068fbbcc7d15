using FastEndpoints;
using Tenants.Abstractions.Webhooks;
using Tenants.Api.Security;

namespace Tenants.Api.Features.Webhooks.Get;

/// <summary><c>GET /api/v1/webhooks/{id}</c>: one webhook of the caller's tenant; another tenant's id is 404.</summary>
public sealed class Endpoint(IGrainFactory grains) : Endpoint<WebhookIdRequest, Webhook>
{
    public override void Configure()
    {
        Get("/api/v1/webhooks/{id}");
        Permissions(ApiPermissions.EventsRead);
        Summary(s => s.Summary = "A webhook: URL, filter, status (active or failing), cursor, last success, next attempt.");
    }

    public override async Task HandleAsync(WebhookIdRequest req, CancellationToken ct)
    {
        var hook = await grains.GetGrain<IWebhooksGrain>(User.GetTenantId()).GetAsync(req.Id, ct);
        if (hook is null)
        {
            ThrowError(WebhookLookup.NotFoundMessage(req.Id), WebhookLookup.NotFound);
        }

        await Send.OkAsync(hook, ct);
    }
}
