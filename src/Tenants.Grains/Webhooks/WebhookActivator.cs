using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tenants.Abstractions.Webhooks;
using Tenants.Ledger.Storage;

namespace Tenants.Grains.Webhooks;

/// <summary>
/// Wakes every tenant's webhooks grain when the silo starts and every few minutes after, so delivery resumes after a
/// restart without waiting for an API call (Orleans reminders are not configured). A grain with no webhooks goes idle again.
/// </summary>
internal sealed partial class WebhookActivator(IGrainFactory grains, ILedgerStore store, ILogger<WebhookActivator> logger) : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period);
        do
        {
            try
            {
                await foreach (var tenant in store.ListTenantsAsync(stoppingToken))
                {
                    await grains.GetGrain<IWebhooksGrain>(tenant).WakeAsync(stoppingToken);
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogWakeFailed(e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(EventId = 3610, EventName = "WebhookWakeFailed", Level = LogLevel.Warning,
        Message = "Waking the webhooks grains failed; trying again in five minutes")]
    private partial void LogWakeFailed(Exception exception);
}
