using Tenants.Abstractions.Webhooks;

namespace Tenants.Api.Features.Webhooks.List;

/// <summary>The tenant's webhooks, in the order added (a tenant has few: not paged).</summary>
public sealed record WebhookList(IReadOnlyList<Webhook> Items);
