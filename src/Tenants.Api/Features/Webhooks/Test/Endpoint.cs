using FastEndpoints;
using Tenants.Abstractions.Webhooks;
using Tenants.Api.Security;

namespace Tenants.Api.Features.Webhooks.Test;

/// <summary>
/// <c>POST /api/v1/webhooks/{id}/test</c>: sends a signed ping (<c>kind: ping</c>, no events) now and answers 200 with
/// the attempt, whatever the receiver said: its failure is data for the user, not an API error.
/// </summary>
public sealed class Endpoint(IGrainFactory grains) : EndpointWithoutRequest<WebhookDelivery>
{
    public override void Configure()
    {
        Post("/api/v1/webhooks/{id}/test");
        Permissions(ApiPermissions.WebhooksWrite);
        Summary(s => s.Summary = "Send a signed ping to the receiver and return the attempt (status code, error, duration).");
    }

    // Without a request type a bodiless POST is accepted (no JSON content type needed); the id is checked here.
    public override async Task HandleAsync(CancellationToken ct)
    {
        var id = Route<string>("id", isRequired: false);
        if (!WebhookIdValidator.IsWebhookId(id))
        {
            ThrowError(WebhookIdValidator.IdMessage);
        }

        var delivery = await grains.GetGrain<IWebhooksGrain>(User.GetTenantId()).PingAsync(id!, ct);
        if (delivery is null)
        {
            ThrowError(WebhookLookup.NotFoundMessage(id!), WebhookLookup.NotFound);
        }

        await Send.OkAsync(delivery, ct);
    }
}
