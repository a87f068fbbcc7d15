namespace Tenants.Abstractions.Sessions;

/// <summary>
/// One per proxied connection, keyed <c>&lt;tenant&gt;/&lt;session&gt;</c> (<see cref="SessionGrainKey"/>). Follows its
/// session from the sealed ledger (fed by the indexer in leaf order, never on the append path): tags, times, login
/// outcome, counts and the session digest; appends one <c>session_summary</c> entry to the tenant's ledger when the
/// session ends or stays idle too long.
/// </summary>
[Alias("tenants.session-grain.v1")]
public interface ISessionGrain : IGrainWithStringKey
{
    /// <summary>
    /// Adds sealed entries of the session, in leaf order. Entries at or below the last leaf index already fed are
    /// ignored, so feeding a block again (a retry, an index rebuild) changes nothing. Returns once the state is saved.
    /// </summary>
    [Alias("FeedAsync")]
    Task FeedAsync(IReadOnlyList<SessionFeedEntry> entries, CancellationToken cancellationToken = default);

    /// <summary>The session as far as it has been fed; null when nothing of it has been (an unknown session).</summary>
    [Alias("GetSummaryAsync")]
    Task<SessionSummary?> GetSummaryAsync(CancellationToken cancellationToken = default);
}
