using FastEndpoints;
using Tenants.Abstractions.Webhooks;
using Tenants.Api.Security;

namespace Tenants.Api.Features.Webhooks.Deliveries;

/// <summary><c>GET /api/v1/webhooks/{id}/deliveries</c>: recent attempts (the last <c>Webhooks:KeptDeliveries</c>).</summary>
public sealed class Endpoint(IGrainFactory grains) : Endpoint<WebhookIdRequest, WebhookDeliveryList>
{
    public override void Configure()
    {
        Get("/api/v1/webhooks/{id}/deliveries");
        Permissions(ApiPermissions.EventsRead);
        Summary(s => s.Summary = "Recent delivery attempts: outcome, status code, error, duration, leaf range.");
    }

    public override async Task HandleAsync(WebhookIdRequest req, CancellationToken ct)
    {
        var items = await grains.GetGrain<IWebhooksGrain>(User.GetTenantId()).ListDeliveriesAsync(req.Id, ct);
        if (items is null)
        {
            ThrowError(WebhookLookup.NotFoundMessage(req.Id), WebhookLookup.NotFound);
        }

        await Send.OkAsync(new WebhookDeliveryList(items), ct);
    }
}
