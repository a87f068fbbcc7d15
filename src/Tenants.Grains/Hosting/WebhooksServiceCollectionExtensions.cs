using Microsoft.Extensions.DependencyInjection;
using Tenants.Grains.Webhooks;

namespace Tenants.Grains.Hosting;

/// <summary>Registers webhook delivery in a silo.</summary>
public static class WebhooksServiceCollectionExtensions
{
    public static IServiceCollection AddTenantsWebhooks(this IServiceCollection services)
    {
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.SectionName)
            .Validate(o => o.MaxAttempts is >= 1 and <= 100 && o.MaxBatchEvents is >= 1 and <= 10_000 && o.FailingAfter >= 1 && o.KeptDeliveries >= 1 && o.KeptDeadLetters >= 1 && o.MaxWebhooks >= 1 && o.RetryBaseDelay > TimeSpan.Zero && o.RetryMaxDelay >= o.RetryBaseDelay && o.Timeout > TimeSpan.Zero && o.PollInterval > TimeSpan.Zero,
                "Webhooks: counts must be at least 1 (MaxAttempts up to 100, MaxBatchEvents up to 10,000); RetryBaseDelay, Timeout and PollInterval must be positive and RetryMaxDelay at least RetryBaseDelay.")
            .ValidateOnStart();
        services.AddSingleton<WebhookSender>();
        services.AddHostedService<WebhookActivator>();
        return services;
    }
}
