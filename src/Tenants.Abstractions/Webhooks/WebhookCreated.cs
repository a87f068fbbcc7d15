namespace Tenants.Abstractions.Webhooks;

/// <summary>A new webhook with its signing secret: the only time the secret leaves the grain.</summary>
[GenerateSerializer]
[Immutable]
[Alias("tenants.webhook-created.v1")]
public sealed record WebhookCreated
{
    [Id(0)] public required Webhook Webhook { get; init; }

    [Id(1)] public required string Secret { get; init; }
}
