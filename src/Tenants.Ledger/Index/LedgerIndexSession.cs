namespace Tenants.Ledger.Index;

/// <summary>
/// One session as the search index knows it, folded from its indexed entries: the tags of its first entry, its times,
/// counts, login outcome and whether it has ended.
/// </summary>
public sealed record LedgerIndexSession
{
    /// <summary>The session id.</summary>
    public required string SessionId { get; init; }

    /// <summary>The endpoint the session came through.</summary>
    public string? EndpointId { get; init; }

    /// <summary>The authenticated person (brokered credentials).</summary>
    public string? Person { get; init; }

    /// <summary>The database user.</summary>
    public string? DatabaseUser { get; init; }

    /// <summary>The database.</summary>
    public string? Database { get; init; }

    /// <summary>The client's address and port.</summary>
    public string? ClientAddress { get; init; }

    /// <summary>The session's <c>application_name</c>.</summary>
    public string? ApplicationName { get; init; }

    /// <summary>Leaf index of the session's first indexed entry (the paging cursor).</summary>
    public required long FirstLeaf { get; init; }

    /// <summary>Leaf index of the session's last indexed entry.</summary>
    public required long LastLeaf { get; init; }

    /// <summary>Time of the first entry.</summary>
    public required DateTimeOffset FirstTime { get; init; }

    /// <summary>Time of the last entry other than its summary.</summary>
    public required DateTimeOffset LastTime { get; init; }

    /// <summary>Entries other than the summary.</summary>
    public required long Entries { get; init; }

    /// <summary>Statement entries.</summary>
    public required long Statements { get; init; }

    /// <summary>Entries with a SQLSTATE.</summary>
    public required long Errors { get; init; }

    /// <summary>Rows of all statements.</summary>
    public required long Rows { get; init; }

    /// <summary><c>succeeded</c>, <c>failed</c>, <c>refused</c>, or <see langword="null"/> while unknown.</summary>
    public string? Login { get; init; }

    /// <summary><c>session_ended</c>, <c>idle_timeout</c>, or <see langword="null"/> while open.</summary>
    public string? Ended { get; init; }

    /// <summary>When the session ended (its <c>session_ended</c> or <c>connection_refused</c> entry).</summary>
    public DateTimeOffset? EndedTime { get; init; }
}
