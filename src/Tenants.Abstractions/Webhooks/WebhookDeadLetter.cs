namespace Tenants.Abstractions.Webhooks;

/// <summary>A batch that was given up on: its leaf range (the events are read again from the ledger to redeliver).</summary>
[GenerateSerializer]
[Immutable]
[Alias("tenants.webhook-dead-letter.v1")]
public sealed record WebhookDeadLetter
{
    [Id(0)] public required string DeliveryId { get; init; }

    [Id(1)] public long FirstIndex { get; init; }

    [Id(2)] public long LastIndex { get; init; }

    [Id(3)] public int Events { get; init; }

    [Id(4)] public int Attempts { get; init; }

    [Id(5)] public int? LastStatusCode { get; init; }

    [Id(6)] public string? LastError { get; init; }

    [Id(7)] public DateTimeOffset Time { get; init; }
}
