using Tenants.Ledger.Storage;

namespace Tenants.Ledger.Index;

/// <summary>
/// One ledger entry as the search index holds it: the searchable fields taken from the event, and the entry itself
/// (the canonical line exactly as sealed), so that a search answers with what the ledger holds.
/// </summary>
public sealed record LedgerIndexRow
{
    /// <summary>The entry's leaf index in the tenant's ledger.</summary>
    public required long LeafIndex { get; init; }

    /// <summary>The event id (a ULID).</summary>
    public required string EventId { get; init; }

    /// <summary>The entry's kind (<c>statement</c>, <c>session-end</c>, ...).</summary>
    public required string Kind { get; init; }

    /// <summary>When the event happened.</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>The endpoint the session came through.</summary>
    public required string EndpointId { get; init; }

    /// <summary>The proxied session.</summary>
    public required string SessionId { get; init; }

    /// <summary>The authenticated person, when credentials are brokered; otherwise <see langword="null"/>.</summary>
    public string? Person { get; init; }

    /// <summary>The database user of the session.</summary>
    public string? DatabaseUser { get; init; }

    /// <summary>The database of the session.</summary>
    public string? Database { get; init; }

    /// <summary>The client's address and port as recorded (<c>10.0.0.7:50312</c>).</summary>
    public string? ClientAddress { get; init; }

    /// <summary>The client's address without its port.</summary>
    public string? ClientHost { get; init; }

    /// <summary>The session's <c>application_name</c>.</summary>
    public string? ApplicationName { get; init; }

    /// <summary>The statement class (read, write, ddl, dcl, tcl, other).</summary>
    public string? StatementClass { get; init; }

    /// <summary>The command tag from CommandComplete.</summary>
    public string? CommandTag { get; init; }

    /// <summary>Rows affected or returned.</summary>
    public long? Rows { get; init; }

    /// <summary>The SQLSTATE of an error.</summary>
    public string? SqlState { get; init; }

    /// <summary>Duration in microseconds.</summary>
    public long? DurationMicros { get; init; }

    /// <summary>The SQL text.</summary>
    public string? Sql { get; init; }

    /// <summary>The fingerprint of the SQL (literals normalised).</summary>
    public string? Fingerprint { get; init; }

    /// <summary>The entry exactly as sealed (one canonical JSON line, UTF-8).</summary>
    public required string Entry { get; init; }

    /// <summary>The block the entry was read from, when known.</summary>
    public LedgerBlockName? Block { get; init; }
}
