namespace Tenants.Api.Features.Sessions.Get;

/// <summary>The session to show.</summary>
public sealed class GetSessionRequest
{
    /// <summary>The session id (route).</summary>
    public string SessionId { get; set; } = string.Empty;
}

/// <summary>
/// One session of the caller's tenant: its tags, times, login outcome, totals and digest as its session grain has them
/// from the sealed ledger, and where its <c>session_summary</c> entry stands.
/// </summary>
public sealed class SessionResponse
{
    public required string SessionId { get; init; }

    public string? Endpoint { get; init; }

    /// <summary>The member signed in with a personal access token (brokered endpoints).</summary>
    public string? Person { get; init; }

    public string? User { get; init; }

    public string? Database { get; init; }

    public string? ApplicationName { get; init; }

    public string? ClientAddress { get; init; }

    public string? ProxyNode { get; init; }

    public string? Tls { get; init; }

    public string? TlsCipher { get; init; }

    public string? ServerName { get; init; }

    public DateTimeOffset? FirstEventTime { get; init; }

    public DateTimeOffset? LastEventTime { get; init; }

    /// <summary><c>succeeded</c>, <c>failed</c>, <c>refused</c> or null while unknown.</summary>
    public string? Login { get; init; }

    /// <summary><c>session_ended</c>, <c>idle_timeout</c>, or null while the session is open.</summary>
    public string? Ended { get; init; }

    /// <summary>Leaf index of the session's first and last entry.</summary>
    public required long FirstLeaf { get; init; }

    public required long LastLeaf { get; init; }

    public required long Entries { get; init; }

    public required long Statements { get; init; }

    public required long Errors { get; init; }

    /// <summary>Errors by SQLSTATE.</summary>
    public required IReadOnlyDictionary<string, long> SqlStates { get; init; }

    public required long Refused { get; init; }

    public required long Rows { get; init; }

    public required long BytesFromClient { get; init; }

    public required long BytesFromServer { get; init; }

    /// <summary>The session digest over its entries (ledger-format.md, "Session summaries"), 64 hex digits.</summary>
    public required string Digest { get; init; }

    /// <summary>Event id of the session's <c>session_summary</c> entry.</summary>
    public required string SummaryEventId { get; init; }

    /// <summary>Whether the summary entry has been appended to the ledger.</summary>
    public required bool SummaryAppended { get; init; }

    /// <summary>Leaf index of the summary entry once sealed (prove it with <c>/api/v1/ledger/proofs/inclusion</c>).</summary>
    public long? SummaryLeaf { get; init; }
}
