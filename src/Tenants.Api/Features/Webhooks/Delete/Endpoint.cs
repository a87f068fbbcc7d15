using FastEndpoints;
using Tenants.Abstractions.Webhooks;
using Tenants.Api.Security;

namespace Tenants.Api.Features.Webhooks.Delete;

/// <summary><c>DELETE /api/v1/webhooks/{id}</c>: removes the webhook; nothing more is sent to it.</summary>
public sealed class Endpoint(IGrainFactory grains) : Endpoint<WebhookIdRequest>
{
    public override void Configure()
    {
        Delete("/api/v1/webhooks/{id}");
        Permissions(ApiPermissions.WebhooksWrite);
        Summary(s => s.Summary = "Remove a webhook.");
    }

    public override async Task HandleAsync(WebhookIdRequest req, CancellationToken ct)
    {
        if (!await grains.GetGrain<IWebhooksGrain>(User.GetTenantId()).DeleteAsync(req.Id, ct))
        {
            ThrowError(WebhookLookup.NotFoundMessage(req.Id), WebhookLookup.NotFound);
        }

        await Send.NoContentAsync(ct);
    }
}
