using System.Diagnostics;
using Tenants.Abstractions.Audit;
using Tenants.Abstractions.Ledger;
using Tenants.Ledger.Entries;
using Tenants.Ledger.Storage;

namespace Tenants.Grains.Ledger;

/// <summary>
/// Durable appends with group commit. <see cref="ILedgerGrain.AppendAsync"/> is always-interleaved: each call puts its
/// new events in a queue and waits; one flusher at a time takes the whole queue, gives the events their leaf indices
/// in queue order, appends them to the journal in one call, and only then acknowledges every call that rode it. Calls
/// arriving meanwhile queue for the next flight. Everything runs on the activation's single thread, so the queue,
/// the leaf counter and the unsealed entries need no locks: only the order of awaits matters.
/// </summary>
public sealed partial class LedgerGrain
{
    private readonly EventIdWindow _dedup;

    // Event ids queued or in flight, and the batch carrying each: a retry arriving meanwhile waits for that batch.
    private readonly Dictionary<string, PendingBatch> _queuedIds = new(StringComparer.Ordinal);
    private List<PendingBatch> _queue = [];
    private int _journaling;
    private bool _flushing;
    private long _journalTrimmedBelow;

    // Set when another writer took the journal (or sealed our leaves): this activation accepts nothing more.
    private bool _stopped;

    public async Task<LedgerAppendResult> AppendAsync(IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (var auditEvent in events)
        {
            if (auditEvent.TenantId != TenantId)
            {
                throw new ArgumentException($"event {auditEvent.EventId} belongs to tenant '{auditEvent.TenantId}', not '{TenantId}'", nameof(events));
            }
        }

        if (_stopped)
        {
            throw new LedgerUnavailableException($"the ledger of tenant '{TenantId}' is moving to another activation; retry");
        }

        if (_unsealed.Count + _journaling >= _options.MaxUnsealedEntries)
        {
            throw new LedgerUnavailableException(
                $"the ledger of tenant '{TenantId}' has {_unsealed.Count} entries it cannot seal into blocks; storage is unavailable or behind");
        }

        var batch = new PendingBatch();
        HashSet<PendingBatch>? earlier = null;
        var inCall = new HashSet<string>(StringComparer.Ordinal);
        foreach (var auditEvent in events)
        {
            if (!inCall.Add(auditEvent.EventId) || _dedup.TryGetLeaf(auditEvent.EventId, out _))
            {
                continue;
            }

            if (_queuedIds.TryGetValue(auditEvent.EventId, out var carrier))
            {
                (earlier ??= []).Add(carrier);
                continue;
            }

            batch.Events.Add(auditEvent);
            _queuedIds.Add(auditEvent.EventId, batch);
        }

        if (batch.Events.Count > 0)
        {
            _queue.Add(batch);
            _journaling += batch.Events.Count;
            if (!_flushing)
            {
                _flushing = true;
                _ = FlushAsync();
            }
        }

        // A retry of events still in flight is acknowledged with them, or fails with them.
        foreach (var pending in (earlier ?? []).Append(batch))
        {
            if (pending.Events.Count == 0)
            {
                continue;
            }

            await pending.Done.Task.WaitAsync(cancellationToken);
            if (pending.Rejected is { } reason)
            {
                throw new ArgumentException(reason, nameof(events));
            }

            if (pending.Failed is { } failure)
            {
                throw new LedgerUnavailableException(failure);
            }
        }

        var firstIndex = batch.Events.Count > 0 ? batch.FirstIndex
            : events.Count > 0 && _dedup.TryGetLeaf(events[0].EventId, out var leaf) ? leaf
            : Size;
        return new LedgerAppendResult(firstIndex, batch.Events.Count, events.Count - batch.Events.Count);
    }

    // The single flusher: one journal append per flight, carrying every batch queued since the last one.
    private async Task FlushAsync()
    {
        try
        {
            while (_queue.Count > 0)
            {
                var flight = _queue;
                _queue = [];
                var first = Size;
                var entries = Encode(flight, first);
                string? failure = null;
                if (_stopped)
                {
                    failure = $"the ledger of tenant '{TenantId}' is moving to another activation; retry";
                }
                else if (entries.Count > 0)
                {
                    failure = await CommitAsync(first, entries);
                }

                Acknowledge(flight, entries, failure);
            }
        }
        finally
        {
            _flushing = false;
        }
    }

    // One journal append for the whole flight: null when it is durable, else why not (nothing of it was recorded).
    private async Task<string?> CommitAsync(long first, List<ReadOnlyMemory<byte>> entries)
    {
        using var activity = LedgerMetrics.ActivitySource.StartActivity("ledger commit");
        activity?.SetTag("tenants.tenant_id", TenantId);
        activity?.SetTag("tenants.ledger.entries", entries.Count);
        var started = _time.GetTimestamp();
        string? failure = null;
        try
        {
            await _journal.AppendAsync(TenantId, first, entries, CancellationToken.None);
        }
        catch (LedgerJournalConflictException ex)
        {
            Stop(ex);
            failure = $"the ledger of tenant '{TenantId}' is moving to another activation; retry";
        }
        catch (Exception ex)
        {
            LogJournalFailed(ex, TenantId, entries.Count);
            failure = $"the journal of tenant '{TenantId}' could not be written ({ex.GetType().Name}); nothing of the batch was recorded";
        }

        _metrics.Committed(TenantId, entries.Count, _time.GetElapsedTime(started), failed: failure is not null);
        activity?.SetStatus(failure is null ? ActivityStatusCode.Ok : ActivityStatusCode.Error, failure);
        return failure;
    }

    // Leaf indices follow queue order. A batch with an entry the ledger cannot hold is rejected on its own.
    private List<ReadOnlyMemory<byte>> Encode(List<PendingBatch> flight, long first)
    {
        var entries = new List<ReadOnlyMemory<byte>>();
        foreach (var batch in flight)
        {
            batch.FirstIndex = first + entries.Count;
            var start = entries.Count;
            foreach (var auditEvent in batch.Events)
            {
                var header = new LedgerEntryHeader(Origin, TenantId, first + entries.Count, auditEvent.Time, AuditEventJson.KindName(auditEvent.Kind));
                var entry = LedgerEntryWriter.Write(header, writer => AuditEventJson.WriteBody(writer, auditEvent));
                if (entry.Length > LedgerBlockCodec.MaxEntryBytes)
                {
                    batch.Rejected = $"event {auditEvent.EventId} is {entry.Length} bytes as a ledger entry; entries hold at most {LedgerBlockCodec.MaxEntryBytes}";
                    entries.RemoveRange(start, entries.Count - start);
                    break;
                }

                entries.Add(entry);
            }
        }

        return entries;
    }

    private void Acknowledge(List<PendingBatch> flight, List<ReadOnlyMemory<byte>> entries, string? failure)
    {
        foreach (var batch in flight)
        {
            _journaling -= batch.Events.Count;
            for (var i = 0; i < batch.Events.Count; i++)
            {
                var eventId = batch.Events[i].EventId;
                _queuedIds.Remove(eventId);
                if (failure is null && batch.Rejected is null)
                {
                    _dedup.Remember(eventId, batch.FirstIndex + i);
                }
            }

            batch.Failed = batch.Rejected is null ? failure : null;
        }

        if (failure is null)
        {
            foreach (var entry in entries)
            {
                AddUnsealed(entry);
            }
        }

        foreach (var batch in flight)
        {
            batch.Done.SetResult();
        }

        if (failure is null && entries.Count > 0)
        {
            SealFullBlocksInBackground();
            EnsureTimer();
        }
    }

    // The journal forgets what is sealed and older than the dedup window (which is rebuilt from the journal on
    // activation), once per checkpoint at most. A failure costs only space: the next checkpoint tries again.
    private async Task TrimJournalAsync(CancellationToken cancellationToken)
    {
        var below = _state.State.SealedSize - _options.DedupWindow;
        if (below <= _journalTrimmedBelow)
        {
            return;
        }

        try
        {
            await _journal.TrimAsync(TenantId, below, cancellationToken);
            _journalTrimmedBelow = below;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogJournalTrimFailed(ex, TenantId, below);
        }
    }

    private void Stop(Exception reason)
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        LogJournalConflict(reason, TenantId);
        DeactivateOnIdle();
    }

    private sealed class PendingBatch
    {
        public List<AuditEvent> Events { get; } = [];

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public long FirstIndex { get; set; }

        public string? Rejected { get; set; }

        public string? Failed { get; set; }
    }
}
