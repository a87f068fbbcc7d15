using System.ComponentModel.DataAnnotations;

namespace Tenants.Grains.Webhooks;

/// <summary>Webhook delivery (configuration section <c>Webhooks</c>).</summary>
public sealed class WebhookOptions
{
    public const string SectionName = "Webhooks";

    /// <summary>
    /// Whether receivers on loopback, private (10/8, 172.16/12, 192.168/16), CGNAT and unique-local addresses are
    /// allowed, over http too (default false). Link-local and metadata addresses are refused whatever this says.
    /// </summary>
    public bool AllowPrivateAddresses { get; set; }

    /// <summary>Attempts per batch before it goes to the dead letters (default 8: about an hour with the default delays).</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The delay before the second attempt (default 30 s); it doubles per attempt, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest delay between attempts, and the most a <c>Retry-After</c> is honoured (default 30 min).</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long a receiver has to answer (default 10 s).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The most events in one batch (default 100).</summary>
    [Range(1, 10_000)]
    public int MaxBatchEvents { get; set; } = 100;

    /// <summary>Failed attempts in a row after which a webhook is marked failing (default 5).</summary>
    [Range(1, 1000)]
    public int FailingAfter { get; set; } = 5;

    /// <summary>How often each tenant's grain looks for newly sealed entries (default 1 s).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Attempts kept per webhook for <c>GET .../deliveries</c> (default 50).</summary>
    [Range(1, 1000)]
    public int KeptDeliveries { get; set; } = 50;

    /// <summary>Dead letters kept per webhook (default 100); the oldest are forgotten beyond it.</summary>
    [Range(1, 10_000)]
    public int KeptDeadLetters { get; set; } = 100;

    /// <summary>Webhooks per tenant (default 20).</summary>
    [Range(1, 1000)]
    public int MaxWebhooks { get; set; } = 20;
}
