namespace Tenants.Abstractions.Webhooks;

/// <summary>A webhook as its tenant sees it. Never carries the signing secret.</summary>
[GenerateSerializer]
[Immutable]
[Alias("tenants.webhook.v1")]
public sealed record Webhook
{
    [Id(0)] public required string Id { get; init; }

    [Id(1)] public required string Url { get; init; }

    [Id(2)] public string? Description { get; init; }

    [Id(3)] public WebhookFilter? Filter { get; init; }

    [Id(4)] public DateTimeOffset Created { get; init; }

    [Id(5)] public string? CreatedBy { get; init; }

    /// <summary><c>active</c>, or <c>failing</c> after <c>Webhooks:FailingAfter</c> failed attempts in a row.</summary>
    [Id(6)] public required string Status { get; init; }

    [Id(7)] public int ConsecutiveFailures { get; init; }

    /// <summary>The next leaf index to deliver: everything below it was delivered or dead-lettered.</summary>
    [Id(8)] public long Cursor { get; init; }

    [Id(9)] public DateTimeOffset? LastSuccess { get; init; }

    [Id(10)] public DateTimeOffset? NextAttempt { get; init; }

    [Id(11)] public int DeadLetters { get; init; }
}
