using Microsoft.Extensions.Logging;

namespace Tenants.Grains.Webhooks;

public sealed partial class WebhooksGrain
{
    [LoggerMessage(EventId = 3600, EventName = "WebhookCreated", Level = LogLevel.Information,
        Message = "Tenant {TenantId}: webhook {WebhookId} added by {CreatedBy}, starting at leaf {Cursor}")]
    private partial void LogWebhookCreated(string tenantId, string webhookId, string createdBy, long cursor);

    [LoggerMessage(EventId = 3601, EventName = "WebhookDeleted", Level = LogLevel.Information,
        Message = "Tenant {TenantId}: webhook {WebhookId} removed")]
    private partial void LogWebhookDeleted(string tenantId, string webhookId);

    [LoggerMessage(EventId = 3602, EventName = "WebhookBatchRetrying", Level = LogLevel.Information,
        Message = "Tenant {TenantId}: webhook {WebhookId} delivery {DeliveryId} attempt {Attempt} failed ({Error}); next in {Delay}")]
    private partial void LogBatchRetrying(string tenantId, string webhookId, string deliveryId, int attempt, string delay, string? error);

    [LoggerMessage(EventId = 3603, EventName = "WebhookBatchDeadLettered", Level = LogLevel.Warning,
        Message = "Tenant {TenantId}: webhook {WebhookId} delivery {DeliveryId} dead-lettered after {Attempts} attempt(s) ({Error})")]
    private partial void LogBatchDeadLettered(string tenantId, string webhookId, string deliveryId, int attempts, string? error);

    [LoggerMessage(EventId = 3604, EventName = "WebhookBatchRedelivered", Level = LogLevel.Information,
        Message = "Tenant {TenantId}: webhook {WebhookId} dead letter {DeliveryId} redelivered")]
    private partial void LogBatchRedelivered(string tenantId, string webhookId, string deliveryId);

    [LoggerMessage(EventId = 3605, EventName = "WebhookDeliveryCrashed", Level = LogLevel.Warning,
        Message = "Tenant {TenantId}: webhook {WebhookId} delivery could not run; trying again at the next poll")]
    private partial void LogDeliveryCrashed(Exception exception, string tenantId, string webhookId);
}
