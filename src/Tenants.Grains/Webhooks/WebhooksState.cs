using Tenants.Abstractions.Webhooks;

namespace Tenants.Grains.Webhooks;

/// <summary>What a tenant's webhooks grain persists.</summary>
[GenerateSerializer]
[Alias("tenants.webhooks-state.v1")]
public sealed class WebhooksState
{
    // No initialisers (architecture.md): the ADO.NET storage's JSON leaves default values out. Null means none.
    [Id(0)] public List<WebhookState>? Webhooks { get; set; }
}

/// <summary>One webhook as persisted, with its delivery cursor.</summary>
[GenerateSerializer]
[Alias("tenants.webhook-state.v1")]
public sealed class WebhookState
{
    [Id(0)] public string? Id { get; set; }

    [Id(1)] public string? Url { get; set; }

    [Id(2)] public string? Description { get; set; }

    [Id(3)] public WebhookFilter? Filter { get; set; }

    /// <summary>
    /// The HMAC key in clear: only for webhooks made before secrets were sealed, or on a node without credential keys.
    /// The grain seals it on activation and clears it.
    /// </summary>
    [Id(4)] public string? Secret { get; set; }

    [Id(5)] public DateTimeOffset Created { get; set; }

    [Id(6)] public string? CreatedBy { get; set; }

    /// <summary>The next leaf index to deliver.</summary>
    [Id(7)] public long Cursor { get; set; }

    /// <summary>The batch being delivered (retried until delivered or dead-lettered); null between batches.</summary>
    [Id(8)] public WebhookBatchState? Pending { get; set; }

    [Id(9)] public int ConsecutiveFailures { get; set; }

    [Id(10)] public DateTimeOffset? LastSuccess { get; set; }

    [Id(11)] public DateTimeOffset? NextAttempt { get; set; }

    [Id(12)] public List<WebhookDelivery>? Deliveries { get; set; }

    [Id(13)] public List<WebhookDeadLetter>? DeadLetters { get; set; }

    /// <summary>The HMAC key sealed by <c>CredentialProtector</c> for this tenant and webhook; what grain state holds.</summary>
    [Id(14)] public string? SealedSecret { get; set; }
}

/// <summary>A batch in delivery: a leaf range (the events are read again from the sealed blocks on each attempt).</summary>
[GenerateSerializer]
[Alias("tenants.webhook-batch-state.v1")]
public sealed class WebhookBatchState
{
    [Id(0)] public string? DeliveryId { get; set; }

    [Id(1)] public long FirstIndex { get; set; }

    [Id(2)] public long LastIndex { get; set; }

    [Id(3)] public int Attempts { get; set; }

    [Id(4)] public int Events { get; set; }
}
