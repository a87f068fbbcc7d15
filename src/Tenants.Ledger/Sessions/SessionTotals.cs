namespace Tenants.Ledger.Sessions;

/// <summary>
/// What a session's entries add up to, as a <c>session_summary</c> entry states it (the <c>summary</c> object of its
/// event) and as anyone can recompute it from the session's entries before the summary (<see cref="SessionTally"/>).
/// </summary>
/// <param name="FirstLeaf">Leaf index of the session's first entry.</param>
/// <param name="LastLeaf">Leaf index of the session's last entry before the summary.</param>
/// <param name="Entries">The session's entries (every kind but <c>session_summary</c>).</param>
/// <param name="Statements">Its <c>statement</c> entries.</param>
/// <param name="Errors">Its <c>statement</c> entries with a <c>sqlstate</c>.</param>
/// <param name="Refused">Its <c>statement</c> entries with SQLSTATE 55000 (the proxy's refusal of a durable statement).</param>
/// <param name="Rows">The sum of <c>rows</c> over its <c>statement</c> entries.</param>
/// <param name="BytesFromClient"><c>bytes_from_client</c> of its last <c>session_ended</c> entry (0 without one).</param>
/// <param name="BytesFromServer"><c>bytes_from_server</c> of its last <c>session_ended</c> entry (0 without one).</param>
/// <param name="SqlStates">Errors by SQLSTATE, ordinal order.</param>
/// <param name="Digest">The <see cref="SessionDigest"/> after its last entry, 64 lower-case hex digits.</param>
public sealed record SessionTotals(
    long FirstLeaf,
    long LastLeaf,
    long Entries,
    long Statements,
    long Errors,
    long Refused,
    long Rows,
    long BytesFromClient,
    long BytesFromServer,
    IReadOnlyDictionary<string, long> SqlStates,
    string Digest)
{
    /// <summary>Whether both state the same totals.</summary>
    public bool Matches(SessionTotals other) =>
        other is not null
        && FirstLeaf == other.FirstLeaf && LastLeaf == other.LastLeaf && Entries == other.Entries
        && Statements == other.Statements && Errors == other.Errors && Refused == other.Refused && Rows == other.Rows
        && BytesFromClient == other.BytesFromClient && BytesFromServer == other.BytesFromServer
        && string.Equals(Digest, other.Digest, StringComparison.Ordinal)
        && SqlStates.Count == other.SqlStates.Count
        && SqlStates.All(p => other.SqlStates.TryGetValue(p.Key, out var n) && n == p.Value);

    /// <summary>The first difference from <paramref name="actual"/>, worded for a report; null when they match.</summary>
    public string? Describe(SessionTotals actual)
    {
        ArgumentNullException.ThrowIfNull(actual);
        return FirstLeaf != actual.FirstLeaf || LastLeaf != actual.LastLeaf
                ? $"summary claims leaves {FirstLeaf}-{LastLeaf}, the session's entries are at {actual.FirstLeaf}-{actual.LastLeaf}"
            : Entries != actual.Entries ? $"summary claims {Entries} entries, the ledger holds {actual.Entries}"
            : Statements != actual.Statements ? $"summary claims {Statements} statements, the ledger holds {actual.Statements}"
            : !string.Equals(Digest, actual.Digest, StringComparison.Ordinal) ? $"session digest is {actual.Digest}, the summary claims {Digest}"
            : !Matches(actual) ? "summary counts (errors, refused, rows, bytes or SQLSTATEs) differ from the session's entries"
            : null;
    }
}
