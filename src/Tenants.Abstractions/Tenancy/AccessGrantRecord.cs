namespace Tenants.Abstractions.Tenancy;

/// <summary>
/// A person's request for time-bound access to an endpoint and what became of it: pending, then approved (until
/// <see cref="ExpiresAt"/>) or rejected by an owner or admin other than the requester; revoked early or expired. Kept
/// in the tenant's state as history (the oldest finished ones beyond a cap are pruned; the ledger keeps them all).
/// No property initialisers: the record is persisted (docs/architecture.md).
/// </summary>
[GenerateSerializer]
[Immutable]
[Alias("tenants.access-grant-record.v1")]
public sealed record AccessGrantRecord
{
    /// <summary>ULID, made when the request was filed.</summary>
    [Id(0)] public required string Id { get; init; }

    [Id(1)] public required string EndpointId { get; init; }

    /// <summary>The member who asked, and whom the grant is for.</summary>
    [Id(2)] public required string MemberId { get; init; }

    /// <summary>Why (1-500 characters); in the ledger with the request.</summary>
    [Id(3)] public required string Reason { get; init; }

    /// <summary>How long the grant lasts once approved.</summary>
    [Id(4)] public required int Minutes { get; init; }

    /// <summary>The stored state; <see cref="StatusAt"/> also counts an approved grant past its time as expired.</summary>
    [Id(5)] public AccessGrantStatus Status { get; init; }

    [Id(6)] public DateTimeOffset RequestedAt { get; init; }

    /// <summary>The owner or admin who approved or rejected it.</summary>
    [Id(7)] public string? DecidedBy { get; init; }

    [Id(8)] public DateTimeOffset? DecidedAt { get; init; }

    /// <summary>The decider's note, if any (at most 500 characters).</summary>
    [Id(9)] public string? Note { get; init; }

    /// <summary>Approval time plus <see cref="Minutes"/>; null until approved.</summary>
    [Id(10)] public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Who revoked (or withdrew) it, and when.</summary>
    [Id(11)] public string? RevokedBy { get; init; }

    [Id(12)] public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>The status at <paramref name="now"/>: an approved grant whose time has passed is expired even before the grain records it.</summary>
    public AccessGrantStatus StatusAt(DateTimeOffset now) =>
        Status == AccessGrantStatus.Approved && ExpiresAt <= now ? AccessGrantStatus.Expired : Status;

    /// <summary>Approved and not yet expired at <paramref name="now"/>.</summary>
    public bool IsInForce(DateTimeOffset now) => StatusAt(now) == AccessGrantStatus.Approved;
}
