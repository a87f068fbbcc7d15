namespace Tenants.Api.Features.Sessions.List;

/// <summary>A search over the caller's sessions, newest first. Every filter is optional; they combine with AND.</summary>
public sealed class ListSessionsRequest
{
    /// <summary>How many sessions (1 to 1000, default 50).</summary>
    public int? Limit { get; set; }

    /// <summary>The previous page's <c>next</c>.</summary>
    public long? Before { get; set; }

    /// <summary>Sessions active at or after this time (ISO 8601).</summary>
    public DateTimeOffset? From { get; set; }

    /// <summary>Sessions that began before this time (ISO 8601).</summary>
    public DateTimeOffset? To { get; set; }

    /// <summary>The endpoint id.</summary>
    public string? Endpoint { get; set; }

    /// <summary>The authenticated person (brokered credentials).</summary>
    public string? Person { get; set; }

    /// <summary>The database user.</summary>
    public string? User { get; set; }

    /// <summary>The database.</summary>
    public string? Database { get; set; }

    /// <summary>The client address, with or without its port.</summary>
    public string? Client { get; set; }

    /// <summary><c>open</c> or <c>ended</c>.</summary>
    public string? State { get; set; }

    /// <summary>The login outcome: <c>succeeded</c>, <c>failed</c> or <c>refused</c>.</summary>
    public string? Login { get; set; }
}

/// <summary>A page of the caller's sessions, newest first, from the search index.</summary>
public sealed class ListSessionsResponse
{
    public required IReadOnlyList<SessionItem> Items { get; init; }

    /// <summary>How many leading entries of the ledger are searchable; sessions are as of those entries.</summary>
    public required long IndexedSize { get; init; }

    /// <summary>The <c>before</c> of the next page, or <see langword="null"/> on the last page.</summary>
    public long? Next { get; init; }
}

/// <summary>One session as the search index has folded it from its entries.</summary>
public sealed class SessionItem
{
    public required string SessionId { get; init; }

    public string? Endpoint { get; init; }

    /// <summary>The member signed in with a personal access token (brokered endpoints).</summary>
    public string? Person { get; init; }

    public string? User { get; init; }

    public string? Database { get; init; }

    public string? ApplicationName { get; init; }

    public string? ClientAddress { get; init; }

    public required DateTimeOffset FirstEventTime { get; init; }

    /// <summary>Time of the session's last entry other than its summary.</summary>
    public required DateTimeOffset LastEventTime { get; init; }

    /// <summary><c>succeeded</c>, <c>failed</c>, <c>refused</c> or null while unknown.</summary>
    public string? Login { get; init; }

    /// <summary><c>session_ended</c>, <c>idle_timeout</c>, or null while the session is open.</summary>
    public string? Ended { get; init; }

    public DateTimeOffset? EndedTime { get; init; }

    public required long FirstLeaf { get; init; }

    public required long LastLeaf { get; init; }

    /// <summary>Entries other than the summary.</summary>
    public required long Entries { get; init; }

    public required long Statements { get; init; }

    public required long Errors { get; init; }

    public required long Rows { get; init; }

    /// <summary>The session's details and timeline: <c>/api/v1/sessions/{id}</c>.</summary>
    public required string Href { get; init; }
}
