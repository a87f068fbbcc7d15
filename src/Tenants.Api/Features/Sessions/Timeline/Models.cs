using Tenants.Api.Features.Events.List;

namespace Tenants.Api.Features.Sessions.Timeline;

/// <summary>A page of one session's events in leaf order.</summary>
public sealed class SessionTimelineRequest
{
    /// <summary>The session id (route).</summary>
    public string SessionId { get; set; } = string.Empty;

    /// <summary>Only events with a leaf index above this one: pass the previous page's <c>next</c>.</summary>
    public long? After { get; set; }

    /// <summary>How many events (1 to 1000, default 100).</summary>
    public int? Limit { get; set; }
}

/// <summary>The session's events, oldest first, from the search index.</summary>
public sealed class SessionTimelineResponse
{
    public required string SessionId { get; init; }

    public required IReadOnlyList<EventItem> Items { get; init; }

    /// <summary>How many leading entries of the ledger are searchable; later events of the session are not listed yet.</summary>
    public required long IndexedSize { get; init; }

    /// <summary>The <c>after</c> of the next page, or <see langword="null"/> on the last page.</summary>
    public long? Next { get; init; }
}
