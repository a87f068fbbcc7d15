namespace Tenants.Abstractions.Audit;

/// <summary>
/// The <c>summary</c> object of a <c>session_summary</c> entry: what the session's entries before it add up to, so that
/// anyone holding the session's entries can recompute and compare it (ledger-format.md, "Session summaries").
/// </summary>
[GenerateSerializer]
[Immutable]
[Alias("tenants.audit-session-summary.v1")]
public sealed record AuditSessionSummary
{
    /// <summary>Leaf index of the session's first entry.</summary>
    [Id(0)] public required long FirstLeaf { get; init; }

    /// <summary>Leaf index of the session's last entry covered.</summary>
    [Id(1)] public required long LastLeaf { get; init; }

    /// <summary>The session's entries covered (every kind but <c>session_summary</c>).</summary>
    [Id(2)] public required long Entries { get; init; }

    /// <summary><c>statement</c> entries.</summary>
    [Id(3)] public required long Statements { get; init; }

    /// <summary><c>statement</c> entries with a SQLSTATE.</summary>
    [Id(4)] public required long Errors { get; init; }

    /// <summary><c>statement</c> entries refused by the proxy (SQLSTATE 55000).</summary>
    [Id(5)] public required long Refused { get; init; }

    /// <summary>Rows over the <c>statement</c> entries.</summary>
    [Id(6)] public required long Rows { get; init; }

    /// <summary>From the session's <c>session_ended</c> entry; 0 without one.</summary>
    [Id(7)] public required long BytesFromClient { get; init; }

    /// <summary>From the session's <c>session_ended</c> entry; 0 without one.</summary>
    [Id(8)] public required long BytesFromServer { get; init; }

    /// <summary>Errors by SQLSTATE.</summary>
    [Id(9)] public required IReadOnlyDictionary<string, long> SqlStates { get; init; }

    /// <summary>The session digest after its last entry covered: 64 lower-case hex digits.</summary>
    [Id(10)] public required string Digest { get; init; }
}
