namespace Tenants.Api.Features.Events.List;

/// <summary>Query for the caller's most recent events.</summary>
public sealed class ListEventsRequest
{
    /// <summary>How many events, newest first (1 to 1000, default 50).</summary>
    public int? Limit { get; set; }
}

/// <summary>The caller's events, newest first.</summary>
public sealed class ListEventsResponse
{
    public required IReadOnlyList<EventItem> Items { get; init; }
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
}
