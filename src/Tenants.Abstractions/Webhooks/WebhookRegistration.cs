namespace Tenants.Abstractions.Webhooks;

/// <summary>What a tenant asks for when it adds a webhook. The URL has passed <see cref="WebhookAddressRules"/>.</summary>
[GenerateSerializer]
[Immutable]
[Alias("tenants.webhook-registration.v1")]
public sealed record WebhookRegistration
{
    [Id(0)] public required string Url { get; init; }

    [Id(1)] public string? Description { get; init; }

    [Id(2)] public WebhookFilter? Filter { get; init; }

    /// <summary>Who added it (<c>member:&lt;id&gt;</c> or <c>api-key</c>).</summary>
    [Id(3)] public required string CreatedBy { get; init; }
}
