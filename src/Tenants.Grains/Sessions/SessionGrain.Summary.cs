using Tenants.Abstractions.Audit;
using Tenants.Abstractions.Ledger;

namespace Tenants.Grains.Sessions;

public sealed partial class SessionGrain
{
    // Timers, not calls the indexer waits for: the summary append must never hold back indexing, and a ledger that
    // refuses it is tried again every SummaryRetryDelay. The idle timer keeps the grain active (DelayDeactivation) so
    // that a session whose edge died is still summed up; a silo restart re-arms it at the session's next activation.
    private void ScheduleWork()
    {
        var state = State;
        if (state.SummaryPending && !state.SummaryAppended)
        {
            _idleTimer?.Dispose();
            _idleTimer = null;
            _summaryTimer ??= this.RegisterGrainTimer(AppendSummaryAsync, new GrainTimerCreationOptions
            {
                DueTime = TimeSpan.Zero,
                Period = _options.SummaryRetryDelay,
                Interleave = false,
                KeepAlive = true,
            });
            return;
        }

        if (state.Ended is null && state.LastFedAt is { } fedAt && !state.SummaryAppended)
        {
            var due = fedAt + _options.IdleTimeout - _time.GetUtcNow();
            due = due < TimeSpan.Zero ? TimeSpan.Zero : due;
            _idleTimer?.Dispose();
            _idleTimer = this.RegisterGrainTimer(IdleTimeoutAsync, new GrainTimerCreationOptions
            {
                DueTime = due,
                Period = Timeout.InfiniteTimeSpan,
                Interleave = false,
                KeepAlive = true,
            });
            DelayDeactivation(due + TimeSpan.FromMinutes(1));
        }
    }

    private async Task IdleTimeoutAsync(CancellationToken cancellationToken)
    {
        var state = State;
        if (state.Ended is not null || state.LastFedAt is not { } fedAt || _time.GetUtcNow() - fedAt < _options.IdleTimeout)
        {
            ScheduleWork();
            return;
        }

        LogIdleTimeout(_tenantId, _sessionId, _options.IdleTimeout);
        state.Ended = "idle_timeout";
        state.SummaryPending = !state.SummaryAppended;
        await _state.WriteStateAsync(cancellationToken);
        ScheduleWork();
    }

    private async Task AppendSummaryAsync(CancellationToken cancellationToken)
    {
        var state = State;
        if (state.SummaryAppended || !state.SummaryPending)
        {
            StopSummaryTimer();
            return;
        }

        var summary = SummaryEvent(state);
        try
        {
            var ledger = GrainFactory.GetGrain<ILedgerGrain>(_tenantId);
            await ledger.AppendAsync([summary], cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogSummaryFailed(ex, _tenantId, _sessionId, _options.SummaryRetryDelay);
            return;
        }

        state.SummaryAppended = true;
        state.SummaryPending = false;
        await _state.WriteStateAsync(cancellationToken);
        LogSummaryAppended(_tenantId, _sessionId, state.Entries, state.Statements);
        StopSummaryTimer();
    }

    private void StopSummaryTimer()
    {
        _summaryTimer?.Dispose();
        _summaryTimer = null;
    }

    private AuditEvent SummaryEvent(SessionState state) => new()
    {
        EventId = SummaryEventId,
        Kind = AuditEventKind.SessionSummary,
        Time = _time.GetUtcNow(),
        TenantId = _tenantId,
        EndpointId = state.EndpointId ?? string.Empty,
        SessionId = _sessionId,
        ClientAddress = state.ClientAddress,
        ProxyNode = state.ProxyNode,
        DatabaseUser = state.DatabaseUser,
        Person = state.Person,
        Database = state.Database,
        ApplicationName = state.ApplicationName,
        Message = state.Ended,
        Summary = Totals(state),
    };
}
