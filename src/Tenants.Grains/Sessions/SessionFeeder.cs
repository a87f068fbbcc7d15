using Tenants.Abstractions.Sessions;
using Tenants.Grains.Index;
using Tenants.Ledger.Merkle;

namespace Tenants.Grains.Sessions;

/// <summary>
/// Feeds the sessions of a sealed block to their session grains, one call per session, in leaf order. The indexer calls
/// it before it moves the tenant's index cursor past the block, so a failed feed is retried with the block (session
/// grains ignore what they already hold). It also wakes sessions whose grains were lost with a silo.
/// </summary>
public sealed class SessionFeeder(IGrainFactory grains)
{
    /// <summary>
    /// Activates the grains of <paramref name="sessionIds"/>: an activation arms the idle timer (or the summary retry)
    /// that died with the silo, so a session whose edge went away too is still summed up.
    /// </summary>
    internal Task WakeAsync(string tenantId, IReadOnlyList<string> sessionIds, CancellationToken cancellationToken) =>
        Task.WhenAll(sessionIds.Select(session =>
            grains.GetGrain<ISessionGrain>(SessionGrainKey.For(tenantId, session)).GetSummaryAsync(cancellationToken)));

    internal async Task FeedAsync(string tenantId, IReadOnlyList<IndexedEvent> events, CancellationToken cancellationToken)
    {
        var bySession = new Dictionary<string, List<SessionFeedEntry>>(StringComparer.Ordinal);
        foreach (var indexed in events)
        {
            if (indexed.Event.SessionId is not { Length: > 0 } session)
            {
                continue;
            }

            if (!bySession.TryGetValue(session, out var entries))
            {
                entries = [];
                bySession.Add(session, entries);
            }

            // SQL text and parameter values are what makes entries large, and the session needs neither.
            var e = indexed.Event with { Sql = null, Parameters = null };
            entries.Add(new SessionFeedEntry(indexed.LeafIndex, Rfc6962Hasher.HashLeaf(indexed.Entry.Span), e));
        }

        await Task.WhenAll(bySession.Select(pair =>
            grains.GetGrain<ISessionGrain>(SessionGrainKey.For(tenantId, pair.Key)).FeedAsync(pair.Value, cancellationToken))).ConfigureAwait(false);
    }
}
