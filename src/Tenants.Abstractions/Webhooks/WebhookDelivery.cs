namespace Tenants.Abstractions.Webhooks;

/// <summary>One attempt to deliver a batch (or a ping) to a webhook's receiver.</summary>
[GenerateSerializer]
[Immutable]
[Alias("tenants.webhook-delivery.v1")]
public sealed record WebhookDelivery
{
    /// <summary>The batch's id (the <c>X-Tenants-Delivery</c> header); the same on every attempt of a batch.</summary>
    [Id(0)] public required string DeliveryId { get; init; }

    /// <summary><c>events</c>, <c>ping</c> or <c>redelivery</c>.</summary>
    [Id(1)] public required string Kind { get; init; }

    [Id(2)] public int Attempt { get; init; }

    [Id(3)] public DateTimeOffset Time { get; init; }

    [Id(4)] public long? FirstIndex { get; init; }

    [Id(5)] public long? LastIndex { get; init; }

    [Id(6)] public int Events { get; init; }

    /// <summary>The receiver's HTTP status, null when none came (network error, timeout, refused address).</summary>
    [Id(7)] public int? StatusCode { get; init; }

    [Id(8)] public string? Error { get; init; }

    [Id(9)] public long DurationMs { get; init; }

    /// <summary><c>delivered</c>, <c>retrying</c>, <c>dead-lettered</c> or <c>failed</c> (pings and redeliveries).</summary>
    [Id(10)] public required string Outcome { get; init; }
}
