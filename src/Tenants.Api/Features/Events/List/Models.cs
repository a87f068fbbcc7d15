namespace Tenants.Api.Features.Events.List;

/// <summary>
/// A search over the caller's events, newest first unless <see cref="Sort"/> says otherwise. Filters other than
/// <see cref="Limit"/> need the search index (a node with <c>ConnectionStrings:Postgres</c>).
/// </summary>
public sealed class ListEventsRequest : EventFilterRequest
{
    /// <summary>How many events (1 to 1000, default 50).</summary>
    public int? Limit { get; set; }

    /// <summary>Only events with a leaf index below this one: pass the previous page's <c>next</c> (newest-first order).</summary>
    public long? Before { get; set; }

    /// <summary><c>-time</c> (default), <c>time</c>, <c>-duration</c>, <c>duration</c>, <c>-rows</c> or <c>rows</c>.</summary>
    public string? Sort { get; set; }

    /// <summary>The previous page's <c>cursor</c>, in any order.</summary>
    public string? Cursor { get; set; }
}

/// <summary>The caller's events, in the order asked for, and how far the search index has got.</summary>
public sealed class ListEventsResponse
{
    public required IReadOnlyList<EventItem> Items { get; init; }

    /// <summary>Where the events came from: <c>index</c>, or <c>blocks</c> on a node without a search index.</summary>
    public required string Source { get; init; }

    /// <summary>How many leading entries of the ledger are searchable (leaves 0 to this, exclusive).</summary>
    public long? IndexedSize { get; init; }

    /// <summary>How many entries the ledger has sealed in blocks.</summary>
    public long? SealedSize { get; init; }

    /// <summary>Whether every sealed entry is searchable (<see cref="IndexedSize"/> has reached <see cref="SealedSize"/>).</summary>
    public bool? Complete { get; init; }

    /// <summary>The <c>before</c> of the next page in newest-first order, or <see langword="null"/> on the last page.</summary>
    public long? Next { get; init; }

    /// <summary>The <c>cursor</c> of the next page (any order), or <see langword="null"/> on the last page.</summary>
    public string? Cursor { get; init; }
}

/// <summary>One event as stored in the tenant's ledger, with its leaf index.</summary>
public sealed class EventItem
{
    public required long Index { get; init; }

    public required string Id { get; init; }

    public required string Kind { get; init; }

    public required DateTimeOffset Time { get; init; }

    public required string Tenant { get; init; }

    public required string Endpoint { get; init; }

    public required string Session { get; init; }

    public string? ClientAddress { get; init; }

    public string? ProxyNode { get; init; }

    /// <summary>The member signed in with a personal access token (brokered endpoints).</summary>
    public string? Person { get; init; }

    public string? User { get; init; }

    public string? Database { get; init; }

    public string? ApplicationName { get; init; }

    public string? Protocol { get; init; }

    public string? Sql { get; init; }

    public string? StatementClass { get; init; }

    public string? CommandTag { get; init; }

    public long? Rows { get; init; }

    public string? SqlState { get; init; }

    public string? Message { get; init; }

    public long? DurationMicros { get; init; }

    public long? BytesFromClient { get; init; }

    public long? BytesFromServer { get; init; }

    public long? Statements { get; init; }

    public string? TlsProtocol { get; init; }

    public string? TlsCipher { get; init; }

    public string? ServerName { get; init; }

    public IReadOnlyList<string?>? Parameters { get; init; }

    public string? CopyDirection { get; init; }

    public long? CopyBytes { get; init; }

    public string? CopySha256 { get; init; }

    /// <summary>The SQL's fingerprint (literals normalised), when read from the search index.</summary>
    public string? Fingerprint { get; init; }

    /// <summary>What the tenant's policy did to the statement: <c>denied</c>, <c>limited</c>, ...; null when no rule applied.</summary>
    public string? PolicyDecision { get; init; }

    /// <summary>The rule that decided.</summary>
    public string? PolicyRule { get; init; }

    /// <summary>The policy version in force.</summary>
    public int? PolicyVersion { get; init; }

    /// <summary>SHA-256 of that version's document, as <c>GET /api/v1/policies/{version}</c> shows it.</summary>
    public string? PolicySha256 { get; init; }
}
