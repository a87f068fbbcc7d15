using Tenants.Abstractions.Audit;

namespace Tenants.Edge.Audit;

internal sealed partial class AuditEventSink
{
    private readonly SemaphoreSlim _wake = new(0);
    private readonly List<Task> _detached = [];
    private Task<bool>? _waitForEvents;
    private Task? _waitForWake;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = _channel.Reader;
        try
        {
            while (true)
            {
                foreach (var tenantId in _overflowing.Keys)
                {
                    Handled(tenantId, 0);
                }

                StartReplays(stoppingToken);
                _detached.RemoveAll(t => t.IsCompleted);

                // Wait for events, for a replay to end or an overflow to start, or until the next replay is due.
                _waitForEvents ??= reader.WaitToReadAsync(stoppingToken).AsTask();
                if (!_waitForEvents.IsCompleted)
                {
                    _waitForWake ??= _wake.WaitAsync(stoppingToken);
                    var replayIn = NextReplayDueIn();
                    await (replayIn == Timeout.InfiniteTimeSpan
                        ? Task.WhenAny(_waitForEvents, _waitForWake)
                        : Task.WhenAny(_waitForEvents, _waitForWake, Task.Delay(replayIn, _time, stoppingToken)));
                    stoppingToken.ThrowIfCancellationRequested();
                    if (_waitForWake.IsCompleted)
                    {
                        _waitForWake = null;
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

                if (_inFlight.Count > 0)
                {
                    await ProcessAsync(_inFlight, detachDurable: true, stoppingToken);
                    _inFlight.Clear();
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

        // Stop the delivery loop first (the channel has a single reader), and let the replays and durable calls it
        // started end (stopping cancels them; what they did not deliver stays spooled). Then deliver the batch it was
        // sending when stopped and whatever is still queued; what cannot be delivered now goes to the spool for the
        // next start. A batch cut off half-way is sent again: event ids make that harmless.
        await base.StopAsync(cancellationToken);
        await Task.WhenAll(_replays.Values.Select(r => r.Running).OfType<Task>().Concat(_detached));
        _channel.Writer.TryComplete();
        var remaining = new List<QueuedAuditEvent>(_inFlight);
        while (_channel.Reader.TryRead(out var item))
        {
            remaining.Add(item);
        }

        if (remaining.Count > 0)
        {
            await ProcessAsync(remaining, detachDurable: false, cancellationToken);
        }

        foreach (var tenantId in _overflowing.Keys)
        {
            Handled(tenantId, 0);
        }
    }

    /// <summary>
    /// Delivers a batch, one call per tenant, the tenants side by side. A tenant whose spool holds events gets its
    /// non-durable events added to the spool (behind the older ones) instead; its durable events are always tried,
    /// and their senders told the outcome. When a tenant's call fails, its non-durable events go to its spool. With
    /// <paramref name="detachDurable"/>, the durable calls of spooling tenants (whose ledger is likely out of reach) run
    /// on without the loop waiting for them, so that a ledger that hangs does not hold up the other tenants.
    /// </summary>
    private async Task ProcessAsync(List<QueuedAuditEvent> batch, bool detachDurable, CancellationToken cancellationToken)
    {
        var live = new List<(string TenantId, Task<bool> Delivery)>();
        foreach (var group in batch.GroupBy(e => e.Event.TenantId, StringComparer.Ordinal))
        {
            // A durable sender that gave up has already refused its statement; the event is not needed.
            var items = group.Where(e => e.Acknowledged is null || !e.Acknowledged.Task.IsCompleted).ToList();
            if (items.Count == 0)
            {
                continue;
            }

            var replaying = _replays.TryGetValue(group.Key, out var replay) && replay.Running is not null;
            if (replaying || HasBacklog(group.Key))
            {
                SpoolOrDrop([.. items.Where(e => e.Acknowledged is null).Select(e => e.Event)]);
                var durable = items.Where(e => e.Acknowledged is not null).ToList();
                if (durable.Count > 0)
                {
                    var delivery = DeliverAsync(group.Key, durable, cancellationToken);
                    if (detachDurable)
                    {
                        _detached.Add(delivery);
                    }
                    else
                    {
                        live.Add((group.Key, delivery));
                    }
                }

                continue;
            }

            live.Add((group.Key, DeliverAsync(group.Key, items, cancellationToken)));
        }

        await Task.WhenAll(live.Select(l => l.Delivery));
        foreach (var (tenantId, delivery) in live)
        {
            if (!delivery.Result && HasBacklog(tenantId))
            {
                Replay(tenantId).Schedule(failed: true, _time);
            }
        }

        foreach (var group in batch.GroupBy(e => e.Event.TenantId, StringComparer.Ordinal))
        {
            Handled(group.Key, group.Count(e => e.Acknowledged is null));
        }
    }

    /// <summary>One tenant's events in one call; on failure durable senders are refused and the others spooled.</summary>
    private async Task<bool> DeliverAsync(string tenantId, List<QueuedAuditEvent> items, CancellationToken cancellationToken)
    {
        var delivered = await TryDeliverAsync(tenantId, [.. items.Select(e => e.Event)], replay: false, cancellationToken);
        foreach (var item in items)
        {
            item.Acknowledged?.TrySetResult(delivered);
        }

        if (delivered)
        {
            _metrics.Delivered(items.Count);
        }
        else
        {
            SpoolOrDrop([.. items.Where(e => e.Acknowledged is null).Select(e => e.Event)]);
        }

        return delivered;
    }

    private async Task<bool> TryDeliverAsync(string tenantId, List<AuditEvent> events, bool replay, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_durableTimeout);
        var started = _time.GetTimestamp();
        try
        {
            await _ledgers(tenantId).AppendAsync(events, timeout.Token).WaitAsync(timeout.Token);
            _metrics.Delivery(replay, delivered: true, events.Count, _time.GetElapsedTime(started));
            return true;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            _metrics.Delivery(replay, delivered: false, events.Count, _time.GetElapsedTime(started));
            LogDeliveryFailed(ex, tenantId, events.Count);
            return false;
        }
    }
}
