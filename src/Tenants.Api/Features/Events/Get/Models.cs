using Tenants.Api.Features.Events.List;

namespace Tenants.Api.Features.Events.Get;

/// <summary>The event to show.</summary>
public sealed class GetEventRequest
{
    /// <summary>The event id (route), or <c>index:&lt;leaf index&gt;</c>.</summary>
    public string Id { get; set; } = string.Empty;
}

/// <summary>One event: as the API shows events, the entry exactly as sealed, the block that holds it, and links.</summary>
public sealed class EventDetailResponse
{
    public required EventItem Event { get; init; }

    /// <summary>The entry exactly as sealed (one canonical JSON line): the bytes the ledger hashed, as UTF-8.</summary>
    public required string Entry { get; init; }

    /// <summary>The sealed block that holds the entry, or <see langword="null"/> if it could not be found.</summary>
    public BlockReference? Block { get; init; }

    /// <summary>The event's session: <c>/api/v1/sessions/{id}</c>.</summary>
    public required string SessionHref { get; init; }

    /// <summary>The session's events in ledger order.</summary>
    public required string TimelineHref { get; init; }

    /// <summary>The entry's inclusion proof (add <c>&amp;size=</c> a checkpointed size).</summary>
    public required string InclusionProofHref { get; init; }
}

/// <summary>A sealed block: its leaf range and its blob path under the tenant's ledger root.</summary>
public sealed class BlockReference
{
    public required long FirstIndex { get; init; }

    public required long LastIndex { get; init; }

    public required string Path { get; init; }
}
