namespace Tenants.Ledger.Index;

/// <summary>
/// A search over one tenant's indexed events, newest first. Every filter is optional and they combine with AND;
/// text filters match exactly, except <see cref="Text"/>, which is a full-text search over the SQL.
/// </summary>
public sealed record LedgerIndexQuery
{
    /// <summary>Events at or after this time.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Events before this time.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>The endpoint id.</summary>
    public string? EndpointId { get; init; }

    /// <summary>The session id.</summary>
    public string? SessionId { get; init; }

    /// <summary>The authenticated person.</summary>
    public string? Person { get; init; }

    /// <summary>The database user.</summary>
    public string? DatabaseUser { get; init; }

    /// <summary>The database.</summary>
    public string? Database { get; init; }

    /// <summary>The client address, with or without its port.</summary>
    public string? ClientAddress { get; init; }

    /// <summary>The statement class.</summary>
    public string? StatementClass { get; init; }

    /// <summary>The SQLSTATE.</summary>
    public string? SqlState { get; init; }

    /// <summary>The entry kind.</summary>
    public string? Kind { get; init; }

    /// <summary>At least this many microseconds.</summary>
    public long? MinDurationMicros { get; init; }

    /// <summary>At most this many microseconds.</summary>
    public long? MaxDurationMicros { get; init; }

    /// <summary>At least this many rows.</summary>
    public long? MinRows { get; init; }

    /// <summary>At most this many rows.</summary>
    public long? MaxRows { get; init; }

    /// <summary>The session's <c>application_name</c>.</summary>
    public string? ApplicationName { get; init; }

    /// <summary>The command tag (<c>SELECT</c>, <c>INSERT</c>, ...), as CommandComplete gave it without counts.</summary>
    public string? CommandTag { get; init; }

    /// <summary>The event id.</summary>
    public string? EventId { get; init; }

    /// <summary>The SQL fingerprint.</summary>
    public string? Fingerprint { get; init; }

    /// <summary>Words to find in the SQL (web-search syntax: quoted phrases, <c>or</c>, <c>-word</c>).</summary>
    public string? Text { get; init; }

    /// <summary>Only entries with a leaf index below this one (the paging cursor).</summary>
    public long? Before { get; init; }

    /// <summary>Only entries with a leaf index above this one (the paging cursor when <see cref="OldestFirst"/>).</summary>
    public long? After { get; init; }

    /// <summary>In leaf order (oldest first) instead of newest first; the same as <see cref="LedgerIndexSort.TimeAscending"/>.</summary>
    public bool OldestFirst { get; init; }

    /// <summary>The order (newest first unless <see cref="OldestFirst"/>).</summary>
    public LedgerIndexSort Sort { get; init; }

    /// <summary>
    /// For the duration and rows orders, the paging cursor: only events after (<see cref="CursorValue"/>,
    /// <see cref="CursorLeaf"/>) in the order. Both or neither.
    /// </summary>
    public long? CursorValue { get; init; }

    /// <summary>The leaf index half of the cursor of <see cref="CursorValue"/>.</summary>
    public long? CursorLeaf { get; init; }

    /// <summary>The order in effect, with <see cref="OldestFirst"/> folded in.</summary>
    public LedgerIndexSort EffectiveSort => OldestFirst && Sort == LedgerIndexSort.TimeDescending ? LedgerIndexSort.TimeAscending : Sort;

    /// <summary>At most this many events.</summary>
    public int Limit { get; init; } = 50;
}
