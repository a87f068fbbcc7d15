using Tenants.Abstractions.Audit;

namespace Tenants.Edge.Audit;

internal sealed partial class AuditEventSink
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(10);

    private TimeSpan _retry = TimeSpan.Zero;
    private long _nextReplay;
    private Task<bool>? _waitForEvents;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = _channel.Reader;
        try
        {
            while (true)
            {
                // Wait for events; with a spool to replay, at most until the next attempt is due.
                _waitForEvents ??= reader.WaitToReadAsync(stoppingToken).AsTask();
                var replayIn = _spool.IsEmpty ? Timeout.InfiniteTimeSpan : ReplayDueIn();
                if (replayIn != TimeSpan.Zero)
                {
                    if (replayIn == Timeout.InfiniteTimeSpan)
                    {
                        await _waitForEvents;
                    }
                    else
                    {
                        await Task.WhenAny(_waitForEvents, Task.Delay(replayIn, _time, stoppingToken));
                        stoppingToken.ThrowIfCancellationRequested();
                    }
                }

                if (_waitForEvents.IsCompleted)
                {
                    var more = await _waitForEvents;
                    _waitForEvents = null;
                    if (!more)
                    {
                        return;
                    }
                }

                while (_inFlight.Count < _batchSize && reader.TryRead(out var item))
                {
                    _inFlight.Add(item);
                }

                await ProcessAsync(_inFlight, stoppingToken);
                _inFlight.Clear();

                if (!_spool.IsEmpty && ReplayDueIn() == TimeSpan.Zero)
                {
                    await ReplayOneAsync(stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Sessions still open were told to finish when the host began to stop, and are ended after the drain
        // timeout; their last events (session end) must still get in. Then deliver what is queued.
        try
        {
            await _sessions.WaitUntilDrainedAsync(cancellationToken).WaitAsync(_drainTimeout + TimeSpan.FromSeconds(5), cancellationToken);
        }
        catch (TimeoutException)
        {
            LogDrainTimedOut(_sessions.Active);
        }

        // Stop the delivery loop first (the channel has a single reader), then deliver the batch it was sending when
        // stopped and whatever is still queued; what cannot be delivered now goes to the spool for the next start.
        // A batch cut off half-way is sent again: event ids make that harmless.
        await base.StopAsync(cancellationToken);
        _channel.Writer.TryComplete();
        var remaining = new List<QueuedAuditEvent>(_inFlight);
        while (_channel.Reader.TryRead(out var item))
        {
            remaining.Add(item);
        }

        if (remaining.Count > 0)
        {
            await ProcessAsync(remaining, cancellationToken);
        }
    }

    /// <summary>
    /// Delivers a batch, one call per tenant. Durable events are always tried, and their senders told the outcome.
    /// The others go to the spool when their delivery fails, and whenever the spool already holds events (which must
    /// reach the ledger first).
    /// </summary>
    private async Task ProcessAsync(List<QueuedAuditEvent> batch, CancellationToken cancellationToken)
    {
        var spooling = !_spool.IsEmpty;
        var toSpool = new List<AuditEvent>();
        foreach (var group in batch.GroupBy(e => e.Event.TenantId, StringComparer.Ordinal))
        {
            // A durable sender that gave up has already refused its statement; the event is not needed.
            var items = group.Where(e => e.Acknowledged is null || !e.Acknowledged.Task.IsCompleted).ToList();
            var send = spooling ? items.Where(e => e.Acknowledged is not null).ToList() : items;
            if (spooling)
            {
                toSpool.AddRange(items.Where(e => e.Acknowledged is null).Select(e => e.Event));
            }

            if (send.Count == 0)
            {
                continue;
            }

            var delivered = await TryDeliverAsync(group.Key, [.. send.Select(e => e.Event)], cancellationToken);
            foreach (var item in send)
            {
                item.Acknowledged?.TrySetResult(delivered);
            }

            if (!delivered && !spooling)
            {
                toSpool.AddRange(send.Where(e => e.Acknowledged is null).Select(e => e.Event));
                spooling = true;
            }
        }

        if (toSpool.Count > 0)
        {
            var wasEmpty = _spool.IsEmpty;
            SpoolOrDrop(toSpool);
            if (wasEmpty)
            {
                ScheduleReplay(failed: true);
            }
        }
    }

    /// <summary>Sends the oldest spooled batch again; on success forgets it, on failure waits longer before the next try.</summary>
    private async Task ReplayOneAsync(CancellationToken cancellationToken)
    {
        SpoolRecord? record;
        try
        {
            record = _spool.Peek();
        }
        catch (Exception ex) when (ex is InvalidDataException or System.Text.Json.JsonException)
        {
            // Only a disk fault or a hand edit does this (a torn tail is cut on start). Keep the file, go on.
            LogSpoolDamaged(ex, _spool.QuarantineHead());
            return;
        }

        if (record is null)
        {
            return;
        }

        foreach (var group in record.Events.GroupBy(e => e.TenantId, StringComparer.Ordinal))
        {
            if (!await TryDeliverAsync(group.Key, [.. group], cancellationToken))
            {
                ScheduleReplay(failed: true);
                return;
            }
        }

        _spool.Acknowledge(record);
        ScheduleReplay(failed: false);
        if (_spool.IsEmpty)
        {
            LogSpoolReplayed();
        }
    }

    private async Task<bool> TryDeliverAsync(string tenantId, List<AuditEvent> events, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_durableTimeout);
        try
        {
            await _ledgers(tenantId).AppendAsync(events, timeout.Token).WaitAsync(timeout.Token);
            return true;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogDeliveryFailed(ex, tenantId, events.Count);
            return false;
        }
    }

    private void ScheduleReplay(bool failed)
    {
        _retry = failed ? TimeSpan.FromTicks(Math.Clamp(_retry.Ticks * 2, FirstRetry.Ticks, LastRetry.Ticks)) : TimeSpan.Zero;
        _nextReplay = _time.GetTimestamp() + (long)(_retry.TotalSeconds * _time.TimestampFrequency);
    }

    private TimeSpan ReplayDueIn()
    {
        var left = _nextReplay - _time.GetTimestamp();
        return left <= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds((double)left / _time.TimestampFrequency);
    }
}
