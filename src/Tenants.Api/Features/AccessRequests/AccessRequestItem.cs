using Tenants.Abstractions.Tenancy;

namespace Tenants.Api.Features.AccessRequests;

/// <summary>An access request and what became of it.</summary>
public sealed class AccessRequestItem
{
    public required string Id { get; init; }

    public required string EndpointId { get; init; }

    /// <summary>The member who asked, whom the grant is for.</summary>
    public required string MemberId { get; init; }

    public required string Reason { get; init; }

    /// <summary>How long the grant lasts once approved.</summary>
    public required int Minutes { get; init; }

    /// <summary><c>pending</c>, <c>approved</c> (in force), <c>rejected</c>, <c>revoked</c> or <c>expired</c> (from the time now).</summary>
    public required string Status { get; init; }

    public required DateTimeOffset RequestedAt { get; init; }

    public string? DecidedBy { get; init; }

    public DateTimeOffset? DecidedAt { get; init; }

    /// <summary>When an approved grant stops counting; null until approved.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>The decider's note.</summary>
    public string? Note { get; init; }

    public string? RevokedBy { get; init; }

    public DateTimeOffset? RevokedAt { get; init; }

    internal static string StatusName(AccessGrantStatus status) => status.ToString().ToLowerInvariant();

    internal static AccessRequestItem From(AccessGrantRecord g, DateTimeOffset now) => new()
    {
        Id = g.Id,
        EndpointId = g.EndpointId,
        MemberId = g.MemberId,
        Reason = g.Reason,
        Minutes = g.Minutes,
        Status = StatusName(g.StatusAt(now)),
        RequestedAt = g.RequestedAt,
        DecidedBy = g.DecidedBy,
        DecidedAt = g.DecidedAt,
        ExpiresAt = g.ExpiresAt,
        Note = g.Note,
        RevokedBy = g.RevokedBy,
        RevokedAt = g.RevokedAt,
    };
}
