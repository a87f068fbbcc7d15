namespace Tenants.Ledger.Sessions;

/// <summary>
/// Adds up one session's entries in leaf order into <see cref="SessionTotals"/>: the counts and the
/// <see cref="SessionDigest"/>. The session grain keeps one per session and the verifier one per open session, so both
/// count by the same rules.
/// </summary>
public sealed class SessionTally
{
    /// <summary>The kind of the summary entry, which is not itself part of the session's totals.</summary>
    public const string SummaryKind = "session_summary";

    /// <summary>SQLSTATE of the proxy's refusal of a durable statement (object_not_in_prerequisite_state).</summary>
    public const string RefusalSqlState = "55000";

    private readonly byte[] _digest;
    private readonly SortedDictionary<string, long> _sqlStates = new(StringComparer.Ordinal);

    /// <summary>An empty tally for a session.</summary>
    public SessionTally(string tenantId, string sessionId)
    {
        _digest = SessionDigest.Seed(tenantId, sessionId);
        FirstLeaf = -1;
        LastLeaf = -1;
    }

    private SessionTally(SessionTotals totals)
    {
        _digest = Convert.FromHexString(totals.Digest);
        FirstLeaf = totals.FirstLeaf;
        LastLeaf = totals.LastLeaf;
        Entries = totals.Entries;
        Statements = totals.Statements;
        Errors = totals.Errors;
        Refused = totals.Refused;
        Rows = totals.Rows;
        BytesFromClient = totals.BytesFromClient;
        BytesFromServer = totals.BytesFromServer;
        foreach (var (state, count) in totals.SqlStates)
        {
            _sqlStates[state] = count;
        }
    }

    /// <summary>Leaf index of the first entry added; -1 before any.</summary>
    public long FirstLeaf { get; private set; }

    /// <summary>Leaf index of the last entry added; -1 before any.</summary>
    public long LastLeaf { get; private set; }

    /// <summary>Entries added.</summary>
    public long Entries { get; private set; }

    /// <summary><c>statement</c> entries added.</summary>
    public long Statements { get; private set; }

    /// <summary><c>statement</c> entries with a SQLSTATE.</summary>
    public long Errors { get; private set; }

    /// <summary><c>statement</c> entries refused by the proxy (55000).</summary>
    public long Refused { get; private set; }

    /// <summary>Rows over the <c>statement</c> entries.</summary>
    public long Rows { get; private set; }

    /// <summary>From the last <c>session_ended</c> entry.</summary>
    public long BytesFromClient { get; private set; }

    /// <summary>From the last <c>session_ended</c> entry.</summary>
    public long BytesFromServer { get; private set; }

    /// <summary>Continues from totals saved earlier (grain state).</summary>
    public static SessionTally Restore(SessionTotals totals)
    {
        ArgumentNullException.ThrowIfNull(totals);
        return new SessionTally(totals);
    }

    /// <summary>
    /// Adds the session's entry at <paramref name="leafIndex"/>, whose RFC 6962 leaf hash is
    /// <paramref name="leafHash"/>. The caller adds entries in leaf order and never a <c>session_summary</c>.
    /// </summary>
    public void Add(long leafIndex, ReadOnlySpan<byte> leafHash, SessionEntryFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (leafIndex <= LastLeaf)
        {
            throw new ArgumentOutOfRangeException(nameof(leafIndex), leafIndex, $"Entries are added in leaf order; the last was {LastLeaf}.");
        }

        SessionDigest.Extend(_digest, leafHash);
        if (FirstLeaf < 0)
        {
            FirstLeaf = leafIndex;
        }

        LastLeaf = leafIndex;
        Entries++;
        switch (facts.Kind)
        {
            case "statement":
                Statements++;
                Rows += facts.Rows ?? 0;
                if (facts.SqlState is { } state)
                {
                    Errors++;
                    _sqlStates[state] = _sqlStates.GetValueOrDefault(state) + 1;
                    if (state == RefusalSqlState)
                    {
                        Refused++;
                    }
                }

                break;
            case "session_ended":
                BytesFromClient = facts.BytesFromClient ?? 0;
                BytesFromServer = facts.BytesFromServer ?? 0;
                break;
            default:
                break;
        }
    }

    /// <summary>The totals so far.</summary>
    public SessionTotals ToTotals() => new(
        FirstLeaf, LastLeaf, Entries, Statements, Errors, Refused, Rows, BytesFromClient, BytesFromServer,
        new SortedDictionary<string, long>(_sqlStates, StringComparer.Ordinal), SessionDigest.ToHex(_digest));
}
