using FastEndpoints;
using Tenants.Abstractions.Webhooks;
using Tenants.Api.Security;

namespace Tenants.Api.Features.Webhooks.DeadLetters;

/// <summary><c>GET /api/v1/webhooks/{id}/dead-letters</c>: batches given up on, with the last error.</summary>
public sealed class Endpoint(IGrainFactory grains) : Endpoint<WebhookIdRequest, WebhookDeadLetterList>
{
    public override void Configure()
    {
        Get("/api/v1/webhooks/{id}/dead-letters");
        Permissions(ApiPermissions.EventsRead);
        Summary(s => s.Summary = "Batches that were not delivered: leaf range, attempts, last status and error.");
    }

    public override async Task HandleAsync(WebhookIdRequest req, CancellationToken ct)
    {
        var items = await grains.GetGrain<IWebhooksGrain>(User.GetTenantId()).ListDeadLettersAsync(req.Id, ct);
        if (items is null)
        {
            ThrowError(WebhookLookup.NotFoundMessage(req.Id), WebhookLookup.NotFound);
        }

        await Send.OkAsync(new WebhookDeadLetterList(items), ct);
    }
}
