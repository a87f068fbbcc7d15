using Tenants.Abstractions.Audit;

namespace Tenants.Abstractions.Sessions;

/// <summary>What a session grain knows of its session: tags, times, login outcome, totals and its summary entry.</summary>
[GenerateSerializer]
[Immutable]
[Alias("tenants.session-summary.v1")]
public sealed record SessionSummary
{
    [Id(0)] public required string TenantId { get; init; }

    [Id(1)] public required string SessionId { get; init; }

    [Id(2)] public string? EndpointId { get; init; }

    [Id(3)] public string? DatabaseUser { get; init; }

    [Id(4)] public string? Database { get; init; }

    [Id(5)] public string? ApplicationName { get; init; }

    [Id(6)] public string? ClientAddress { get; init; }

    [Id(7)] public string? ProxyNode { get; init; }

    [Id(8)] public string? TlsProtocol { get; init; }

    [Id(9)] public string? TlsCipher { get; init; }

    [Id(10)] public string? ServerName { get; init; }

    /// <summary>Time of the session's first and last entry.</summary>
    [Id(11)] public DateTimeOffset? FirstEventTime { get; init; }

    [Id(12)] public DateTimeOffset? LastEventTime { get; init; }

    /// <summary><c>succeeded</c>, <c>failed</c> or <c>refused</c> (the connection never reached the database); null while unknown.</summary>
    [Id(13)] public string? LoginOutcome { get; init; }

    /// <summary>How the session ended: <c>session_ended</c> (the edge said so), <c>idle_timeout</c>, or null while open.</summary>
    [Id(14)] public string? Ended { get; init; }

    /// <summary>The totals of the session's entries fed so far (as its summary entry states them once appended).</summary>
    [Id(15)] public required AuditSessionSummary Totals { get; init; }

    /// <summary>The event id of the session's <c>session_summary</c> entry (deterministic per tenant and session).</summary>
    [Id(16)] public required string SummaryEventId { get; init; }

    /// <summary>Whether the summary entry has been appended to the ledger (it is sealed shortly after).</summary>
    [Id(17)] public bool SummaryAppended { get; init; }

    /// <summary>Leaf index of the summary entry once the indexer has seen it sealed.</summary>
    [Id(18)] public long? SummaryLeaf { get; init; }

    /// <summary>The member signed in with a personal access token (brokered endpoints); null for passthrough logins.</summary>
    [Id(19)] public string? Person { get; init; }
}
