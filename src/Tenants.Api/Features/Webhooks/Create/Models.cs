using Tenants.Abstractions.Webhooks;

namespace Tenants.Api.Features.Webhooks.Create;

/// <summary>A webhook to add.</summary>
public sealed class CreateWebhookRequest
{
    /// <summary>The receiver: https, or http for loopback and private addresses when the platform allows them.</summary>
    public string? Url { get; set; }

    public string? Description { get; set; }

    /// <summary>Which events to send: entry kinds, endpoint ids, statement classes (each list optional).</summary>
    public CreateWebhookFilter? Filter { get; set; }
}

/// <summary>The filter of a new webhook.</summary>
public sealed class CreateWebhookFilter
{
    public List<string>? Kinds { get; set; }

    public List<string>? Endpoints { get; set; }

    public List<string>? Classes { get; set; }
}

/// <summary>The new webhook and its signing secret, shown this once.</summary>
public sealed record CreateWebhookResponse(Webhook Webhook, string Secret);
