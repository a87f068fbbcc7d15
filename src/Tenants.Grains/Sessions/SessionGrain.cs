using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tenants.Abstractions.Audit;
using Tenants.Abstractions.Sessions;
using Tenants.Ledger.Sessions;

namespace Tenants.Grains.Sessions;

/// <summary>
/// One per proxied connection (<c>&lt;tenant&gt;/&lt;session&gt;</c>). Fed by the indexer with the session's sealed
/// entries in leaf order, it keeps the session's tags, times, login outcome, totals and digest, and once the session
/// has ended (or been idle for <see cref="SessionOptions.IdleTimeout"/>) appends one <c>session_summary</c> entry to
/// the tenant's ledger, with an event id derived from tenant and session so a repeat is dropped by the ledger.
/// </summary>
public sealed partial class SessionGrain : Grain, ISessionGrain
{
    private readonly IPersistentState<SessionState> _state;
    private readonly SessionOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<SessionGrain> _logger;
    private string _tenantId = string.Empty;
    private string _sessionId = string.Empty;
    private IGrainTimer? _summaryTimer;
    private IGrainTimer? _idleTimer;

    public SessionGrain(
        [PersistentState("session", "ledger")] IPersistentState<SessionState> state,
        IOptions<SessionOptions> options,
        TimeProvider time,
        ILogger<SessionGrain> logger)
    {
        _state = state;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    private SessionState State => _state.State;

    private string SummaryEventId => Ulid.Derive(_sessionId, $"tenants.session-summary.v1\0{_tenantId}\0{_sessionId}");

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_tenantId, _sessionId) = SessionGrainKey.Parse(this.GetPrimaryKeyString());
        ScheduleWork();
        return Task.CompletedTask;
    }

    public async Task FeedAsync(IReadOnlyList<SessionFeedEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var state = State;
        SessionTally? tally = null;
        var changed = false;
        foreach (var entry in entries.OrderBy(e => e.LeafIndex))
        {
            var e = entry.Event;
            if (entry.LeafIndex <= (state.LastFedLeaf ?? -1))
            {
                continue;
            }

            if (e.TenantId != _tenantId || e.SessionId != _sessionId)
            {
                LogForeignEntry(_tenantId, _sessionId, entry.LeafIndex);
                continue;
            }

            state.LastFedLeaf = entry.LeafIndex;
            changed = true;
            if (e.Kind == AuditEventKind.SessionSummary)
            {
                if (e.EventId == SummaryEventId)
                {
                    state.SummaryLeaf ??= entry.LeafIndex;
                    state.SummaryAppended = true;
                    state.SummaryPending = false;
                }

                continue;
            }

            tally ??= Restore(state);
            tally.Add(entry.LeafIndex, entry.LeafHash, Facts(e));
            Observe(state, e);
        }

        if (!changed)
        {
            return;
        }

        if (tally is not null)
        {
            Save(tally.ToTotals(), state);
        }

        state.LastFedAt = _time.GetUtcNow();
        await _state.WriteStateAsync(cancellationToken);
        ScheduleWork();
    }

    public Task<SessionSummary?> GetSummaryAsync(CancellationToken cancellationToken = default)
    {
        var state = State;
        if (state.LastFedLeaf is null)
        {
            // Nothing of this session was fed: an unknown id (or one of another tenant). Leave nothing behind.
            DeactivateOnIdle();
            return Task.FromResult<SessionSummary?>(null);
        }

        return Task.FromResult<SessionSummary?>(new SessionSummary
        {
            TenantId = _tenantId,
            SessionId = _sessionId,
            EndpointId = state.EndpointId,
            DatabaseUser = state.DatabaseUser,
            Person = state.Person,
            Database = state.Database,
            ApplicationName = state.ApplicationName,
            ClientAddress = state.ClientAddress,
            ProxyNode = state.ProxyNode,
            TlsProtocol = state.TlsProtocol,
            TlsCipher = state.TlsCipher,
            ServerName = state.ServerName,
            FirstEventTime = state.FirstEventTime,
            LastEventTime = state.LastEventTime,
            LoginOutcome = state.LoginOutcome,
            Ended = state.Ended,
            Totals = Totals(state),
            SummaryEventId = SummaryEventId,
            SummaryAppended = state.SummaryAppended,
            SummaryLeaf = state.SummaryLeaf,
        });
    }

    internal static SessionEntryFacts Facts(AuditEvent e) => new(
        AuditEventJson.KindName(e.Kind), e.SessionId, e.SqlState, e.Rows, e.BytesFromClient, e.BytesFromServer, Summary: null);

    private SessionTally Restore(SessionState state) => state.Entries == 0
        ? new SessionTally(_tenantId, _sessionId)
        : SessionTally.Restore(new SessionTotals(
            state.FirstLeaf ?? -1, state.LastLeaf ?? -1, state.Entries, state.Statements, state.Errors, state.Refused, state.Rows,
            state.BytesFromClient, state.BytesFromServer, state.SqlStates, state.Digest));

    private static void Save(SessionTotals totals, SessionState state)
    {
        state.FirstLeaf = totals.FirstLeaf;
        state.LastLeaf = totals.LastLeaf;
        state.Entries = totals.Entries;
        state.Statements = totals.Statements;
        state.Errors = totals.Errors;
        state.Refused = totals.Refused;
        state.Rows = totals.Rows;
        state.BytesFromClient = totals.BytesFromClient;
        state.BytesFromServer = totals.BytesFromServer;
        state.SqlStates = new Dictionary<string, long>(totals.SqlStates, StringComparer.Ordinal);
        state.Digest = totals.Digest;
    }

    private AuditSessionSummary Totals(SessionState state) => new()
    {
        FirstLeaf = state.FirstLeaf ?? -1,
        LastLeaf = state.LastLeaf ?? -1,
        Entries = state.Entries,
        Statements = state.Statements,
        Errors = state.Errors,
        Refused = state.Refused,
        Rows = state.Rows,
        BytesFromClient = state.BytesFromClient,
        BytesFromServer = state.BytesFromServer,
        SqlStates = new Dictionary<string, long>(state.SqlStates, StringComparer.Ordinal),
        Digest = state.Entries == 0 ? SessionDigest.ToHex(SessionDigest.Seed(_tenantId, _sessionId)) : state.Digest,
    };

    // Tags: the first value seen stays (the connection's), except what only later events know.
    private static void Observe(SessionState state, AuditEvent e)
    {
        state.EndpointId ??= NullIfEmpty(e.EndpointId);
        state.DatabaseUser ??= e.DatabaseUser;
        state.Person ??= e.Person;
        state.Database ??= e.Database;
        state.ApplicationName ??= e.ApplicationName;
        state.ClientAddress ??= e.ClientAddress;
        state.ProxyNode ??= e.ProxyNode;
        state.TlsProtocol ??= e.TlsProtocol;
        state.TlsCipher ??= e.TlsCipher;
        state.ServerName ??= e.ServerName;
        state.FirstEventTime ??= e.Time;
        state.LastEventTime = state.LastEventTime is { } last && last > e.Time ? last : e.Time;
        switch (e.Kind)
        {
            case AuditEventKind.LoginSucceeded:
                state.LoginOutcome = "succeeded";
                break;
            case AuditEventKind.LoginFailed:
                state.LoginOutcome = "failed";
                break;
            case AuditEventKind.ConnectionRefused:
                state.LoginOutcome ??= "refused";
                state.Ended ??= "session_ended";
                state.SummaryPending = !state.SummaryAppended;
                break;
            case AuditEventKind.SessionEnded:
                state.Ended = "session_ended";
                state.SummaryPending = !state.SummaryAppended;
                break;
            default:
                break;
        }
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
