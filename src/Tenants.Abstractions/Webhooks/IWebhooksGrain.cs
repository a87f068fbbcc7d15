namespace Tenants.Abstractions.Webhooks;

/// <summary>
/// One per tenant (keyed by tenant id): the tenant's webhooks and their delivery. Delivery follows the tenant's
/// sealed ledger from a cursor per webhook kept in the grain's state, so nothing unsealed is sent and nothing is
/// skipped after a restart (at least once: receivers deduplicate by event id). Only the tenant's own grain knows its
/// webhooks, so another tenant's ids are unknown (null or false).
/// </summary>
[Alias("tenants.webhooks-grain.v1")]
public interface IWebhooksGrain : IGrainWithStringKey
{
    /// <summary>Adds a webhook that starts at the ledger's current sealed size; returns it with its secret (once).</summary>
    [Alias("CreateAsync")]
    Task<WebhookCreated> CreateAsync(WebhookRegistration registration, CancellationToken cancellationToken = default);

    /// <summary>The tenant's webhooks in the order added.</summary>
    [Alias("ListAsync")]
    Task<IReadOnlyList<Webhook>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>The webhook, or null when the tenant has none of that id.</summary>
    [Alias("GetAsync")]
    Task<Webhook?> GetAsync(string webhookId, CancellationToken cancellationToken = default);

    /// <summary>Removes the webhook and stops its delivery; false when the tenant has none of that id.</summary>
    [Alias("DeleteAsync")]
    Task<bool> DeleteAsync(string webhookId, CancellationToken cancellationToken = default);

    /// <summary>Sends a ping (a signed batch with no events) now and returns the attempt; null for an unknown id.</summary>
    [Alias("PingAsync")]
    Task<WebhookDelivery?> PingAsync(string webhookId, CancellationToken cancellationToken = default);

    /// <summary>The webhook's recent attempts, newest first; null for an unknown id.</summary>
    [Alias("ListDeliveriesAsync")]
    Task<IReadOnlyList<WebhookDelivery>?> ListDeliveriesAsync(string webhookId, CancellationToken cancellationToken = default);

    /// <summary>The webhook's dead letters, newest first; null for an unknown id.</summary>
    [Alias("ListDeadLettersAsync")]
    Task<IReadOnlyList<WebhookDeadLetter>?> ListDeadLettersAsync(string webhookId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends a dead-lettered batch again now (one attempt) and returns the attempt; a delivered batch leaves the dead
    /// letters. Null when the webhook or the dead letter is unknown.
    /// </summary>
    [Alias("RedeliverAsync")]
    Task<WebhookDelivery?> RedeliverAsync(string webhookId, string deliveryId, CancellationToken cancellationToken = default);

    /// <summary>Activates the grain so its delivery runs (the silo calls it at start for every tenant).</summary>
    [Alias("WakeAsync")]
    Task WakeAsync(CancellationToken cancellationToken = default);
}
