using FastEndpoints;
using Tenants.Abstractions.Webhooks;
using Tenants.Api.Security;

namespace Tenants.Api.Features.Webhooks.Redeliver;

/// <summary>
/// <c>POST /api/v1/webhooks/{id}/dead-letters/{deliveryId}/redeliver</c>: sends a dead-lettered batch again now (same
/// delivery id, events read again from the ledger) and answers 200 with the attempt; delivered, it leaves the list.
/// </summary>
public sealed class Endpoint(IGrainFactory grains) : EndpointWithoutRequest<WebhookDelivery>
{
    public override void Configure()
    {
        Post("/api/v1/webhooks/{id}/dead-letters/{deliveryId}/redeliver");
        Permissions(ApiPermissions.WebhooksWrite);
        Summary(s => s.Summary = "Send a dead-lettered batch again and return the attempt.");
    }

    // Without a request type a bodiless POST is accepted (no JSON content type needed); the ids are checked here.
    public override async Task HandleAsync(CancellationToken ct)
    {
        var req = new WebhookIdRequest { Id = Route<string>("id", isRequired: false) ?? string.Empty, DeliveryId = Route<string>("deliveryId", isRequired: false) };
        if (!WebhookIdValidator.IsWebhookId(req.Id))
        {
            ThrowError(WebhookIdValidator.IdMessage);
        }

        if (!WebhookIdValidator.IsDeliveryId(req.DeliveryId))
        {
            ThrowError(WebhookIdValidator.DeliveryIdMessage);
        }

        var grain = grains.GetGrain<IWebhooksGrain>(User.GetTenantId());
        if (await grain.GetAsync(req.Id, ct) is null)
        {
            ThrowError(WebhookLookup.NotFoundMessage(req.Id), WebhookLookup.NotFound);
        }

        var delivery = await grain.RedeliverAsync(req.Id, req.DeliveryId!, ct);
        if (delivery is null)
        {
            ThrowError($"no dead letter '{req.DeliveryId}' for webhook '{req.Id}'", WebhookLookup.NotFound);
        }

        await Send.OkAsync(delivery, ct);
    }
}
