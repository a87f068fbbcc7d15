namespace Tenants.Grains.Sessions;

/// <summary>
/// What a session grain persists: the session's tags, times and login outcome, its running totals and digest
/// (<see cref="Tenants.Ledger.Sessions.SessionTally"/>), and where its summary entry stands. Derived from sealed
/// entries only; saved before a feed is acknowledged, so the indexer never has to feed an entry twice.
/// </summary>
[GenerateSerializer]
[Alias("tenants.session-state.v1")]
public sealed class SessionState
{
    [Id(0)] public string? EndpointId { get; set; }

    [Id(1)] public string? DatabaseUser { get; set; }

    [Id(2)] public string? Database { get; set; }

    [Id(3)] public string? ApplicationName { get; set; }

    [Id(4)] public string? ClientAddress { get; set; }

    [Id(5)] public string? ProxyNode { get; set; }

    [Id(6)] public string? TlsProtocol { get; set; }

    [Id(7)] public string? TlsCipher { get; set; }

    [Id(8)] public string? ServerName { get; set; }

    [Id(9)] public DateTimeOffset? FirstEventTime { get; set; }

    [Id(10)] public DateTimeOffset? LastEventTime { get; set; }

    /// <summary><c>succeeded</c>, <c>failed</c> or <c>refused</c>.</summary>
    [Id(11)] public string? LoginOutcome { get; set; }

    /// <summary><c>session_ended</c> or <c>idle_timeout</c> once the session is over.</summary>
    [Id(12)] public string? Ended { get; set; }

    // No initialisers on persisted values: the ADO.NET storage's JSON leaves default values out, so a -1 default would
    // turn a stored 0 (a session that starts at leaf 0) back into -1 on the next activation. Null means none.

    /// <summary>Leaf index of the last entry fed (the session's own or its summary); null before any.</summary>
    [Id(13)] public long? LastFedLeaf { get; set; }

    [Id(14)] public long? FirstLeaf { get; set; }

    [Id(15)] public long? LastLeaf { get; set; }

    [Id(16)] public long Entries { get; set; }

    [Id(17)] public long Statements { get; set; }

    [Id(18)] public long Errors { get; set; }

    [Id(19)] public long Refused { get; set; }

    [Id(20)] public long Rows { get; set; }

    [Id(21)] public long BytesFromClient { get; set; }

    [Id(22)] public long BytesFromServer { get; set; }

    [Id(23)] public Dictionary<string, long> SqlStates { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The running session digest (hex); empty before the first entry.</summary>
    [Id(24)] public string Digest { get; set; } = string.Empty;

    /// <summary>The summary entry is due (the session ended) and not yet appended.</summary>
    [Id(25)] public bool SummaryPending { get; set; }

    /// <summary>The summary entry has been appended (acknowledged by the ledger grain, or seen sealed).</summary>
    [Id(26)] public bool SummaryAppended { get; set; }

    /// <summary>Leaf index of the summary entry, once seen sealed.</summary>
    [Id(27)] public long? SummaryLeaf { get; set; }

    /// <summary>When the last entry was fed (the idle timeout counts from here).</summary>
    [Id(28)] public DateTimeOffset? LastFedAt { get; set; }

    /// <summary>The member signed in (brokered endpoints).</summary>
    [Id(29)] public string? Person { get; set; }
}
