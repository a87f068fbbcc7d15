namespace Tenants.Edge.Audit;

internal sealed partial class AuditEventSink
{
    /// <summary>Replays running at once, each for its own tenant (a bound on the memory and calls spent on replay).</summary>
    private const int MaxConcurrentReplays = 4;

    /// <summary>Ledger calls one replay makes before it gives way to other tenants' replays.</summary>
    private const int ReplayCallsPerTurn = 64;

    /// <summary>Most spooled bytes read into one replay call, however many events that is (SQL can be long).</summary>
    private const long ReplayMaxBytes = 4 << 20;

    private readonly Dictionary<string, TenantReplay> _replays = new(StringComparer.Ordinal);

    private TenantReplay Replay(string tenantId)
    {
        if (!_replays.TryGetValue(tenantId, out var replay))
        {
            replay = new TenantReplay(tenantId);
            _replays[tenantId] = replay;
        }

        return replay;
    }

    /// <summary>Notes the replays that ended, and starts those that are due, longest waiting first, up to the limit.</summary>
    private void StartReplays(CancellationToken cancellationToken)
    {
        var running = 0;
        foreach (var replay in _replays.Values)
        {
            if (replay.Running is { IsCompleted: true } ended)
            {
                replay.Running = null;
                replay.Schedule(failed: !(ended.IsCompletedSuccessfully && ended.Result), _time);
            }
            else if (replay.Running is not null)
            {
                running++;
            }
        }

        if (running >= MaxConcurrentReplays)
        {
            return;
        }

        var due = _spools.Tenants
            .Where(t => !t.Value.IsEmpty)
            .Select(t => (Replay: Replay(t.Key), Spool: t.Value))
            .Where(r => r.Replay.Running is null && r.Replay.DueIn(_time) == TimeSpan.Zero)
            .OrderBy(r => r.Replay.LastStarted)
            .Take(MaxConcurrentReplays - running)
            .ToList();
        foreach (var (replay, spool) in due)
        {
            replay.LastStarted = _time.GetTimestamp();
            replay.Running = Task.Run(() => ReplayAsync(replay.TenantId, spool, cancellationToken), CancellationToken.None);

            // Wake the loop only once the task is complete: a wake-up from inside the replay (its finally) could be
            // seen while the task still looked running, and the loop would then wait for events that never come.
            replay.Running.ContinueWith(_ => _wake.Release(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    /// <summary>How long until the next replay is due; infinite when none waits (a running one wakes the loop as it ends).</summary>
    private TimeSpan NextReplayDueIn()
    {
        var next = Timeout.InfiniteTimeSpan;
        foreach (var (tenantId, spool) in _spools.Tenants)
        {
            var replay = _replays.GetValueOrDefault(tenantId);
            if (replay?.Running is not null || spool.IsEmpty)
            {
                continue;
            }

            var dueIn = replay?.DueIn(_time) ?? TimeSpan.Zero;
            if (next == Timeout.InfiniteTimeSpan || dueIn < next)
            {
                next = dueIn;
            }
        }

        return next;
    }

    /// <summary>
    /// Sends one tenant's spooled events, oldest first, many records per call, and forgets each batch once its ledger
    /// has it. True when the spool is empty or the replay gave way to others; false when a delivery failed.
    /// </summary>
    private async Task<bool> ReplayAsync(string tenantId, AuditSpool spool, CancellationToken cancellationToken)
    {
        try
        {
            for (var calls = 0; calls < ReplayCallsPerTurn; calls++)
            {
                IReadOnlyList<SpoolRecord> records;
                try
                {
                    records = spool.PeekBatch(_batchSize, ReplayMaxBytes);
                }
                catch (Exception ex) when (ex is InvalidDataException or System.Text.Json.JsonException)
                {
                    // Only a disk fault or a hand edit does this (a torn tail is cut on start). Keep the file, go on.
                    LogSpoolDamaged(ex, spool.QuarantineHead());
                    continue;
                }

                if (records.Count == 0)
                {
                    LogSpoolReplayed(tenantId);
                    return true;
                }

                var events = records.SelectMany(r => r.Events).ToList();
                if (!await TryDeliverAsync(tenantId, events, replay: true, cancellationToken))
                {
                    return false;
                }

                spool.Acknowledge(records);
                _metrics.Replayed(events.Count);
            }

            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogReplayFailed(ex, tenantId);
            return false;
        }
    }
}
