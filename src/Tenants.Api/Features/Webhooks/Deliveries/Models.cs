using Tenants.Abstractions.Webhooks;

namespace Tenants.Api.Features.Webhooks.Deliveries;

/// <summary>A webhook's recent attempts, newest first.</summary>
public sealed record WebhookDeliveryList(IReadOnlyList<WebhookDelivery> Items);
