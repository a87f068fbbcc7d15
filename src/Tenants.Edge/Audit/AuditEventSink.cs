using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tenants.Abstractions.Audit;
using Tenants.Abstractions.Ledger;
using Tenants.Edge.Proxy;

namespace Tenants.Edge.Audit;

/// <summary>
/// Between the proxy sessions and the ledger grains: a bounded queue drained by one loop, which groups whatever has
/// accumulated by tenant and delivers each group in one grain call (so every event that arrives while a call is in
/// flight rides the next: group commit on the edge); the calls of one batch to different tenants run side by side.
/// Durable events are acknowledged to their sender when the call returns, or refused when it fails or times out. When
/// a delivery fails the other events go to their tenant's disk spool (<see cref="AuditSpoolFolder"/>), and while a
/// tenant's spool holds anything its new events follow them there, so that replay keeps them in order; other tenants
/// are not affected. Each tenant's spool is replayed in batches, oldest first, as soon as its ledger answers again,
/// and on start, by a few replays running beside the loop. Instruments: <see cref="AuditMetrics"/>.
/// </summary>
internal sealed partial class AuditEventSink : BackgroundService, IAuditEventSink
{
    private readonly Channel<QueuedAuditEvent> _channel;
    private readonly Func<string, ILedgerGrain> _ledgers;
    private readonly AuditSpoolFolder _spools;
    private readonly AuditMetrics _metrics;
    private readonly EdgeTrafficMetrics _traffic;
    private readonly TimeProvider _time;
    private readonly ILogger<AuditEventSink> _logger;
    private readonly int _batchSize;
    private readonly TimeSpan _drainTimeout;
    private readonly TimeSpan _durableTimeout;
    private readonly TimeSpan _sequencedMaxWait;
    private readonly EndpointConnectionLimiter _sessions;
    private readonly List<QueuedAuditEvent> _inFlight = [];
    private readonly ConcurrentDictionary<string, TenantGate> _gates = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TenantGate> _overflowing = new(StringComparer.Ordinal);
    private long _dropped;
    private long _spooled;

    public AuditEventSink(IGrainFactory grains, EndpointConnectionLimiter sessions, IOptions<EdgeOptions> options, IHostEnvironment environment, TimeProvider time, IMeterFactory meterFactory, ILogger<AuditEventSink> logger)
        : this(tenant => grains.GetGrain<ILedgerGrain>(tenant), sessions, options.Value, Path.Combine(environment.ContentRootPath, options.Value.Audit.SpoolPath), time, logger, meterFactory)
    {
    }

    internal AuditEventSink(Func<string, ILedgerGrain> ledgers, EndpointConnectionLimiter sessions, EdgeOptions options, string spoolPath, TimeProvider time, ILogger<AuditEventSink> logger, IMeterFactory? meterFactory = null)
    {
        _ledgers = ledgers;
        _sessions = sessions;
        _time = time;
        _logger = logger;
        _drainTimeout = options.DrainTimeout;
        _durableTimeout = options.Audit.DurableTimeout;
        _sequencedMaxWait = options.Audit.SequencedMaxWait;
        _batchSize = options.AuditBatchSize;
        _spools = new AuditSpoolFolder(spoolPath, options.Audit.SpoolMaxBytes, options.Audit.SpoolSegmentBytes);
        _channel = Channel.CreateBounded<QueuedAuditEvent>(new BoundedChannelOptions(options.AuditQueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _metrics = new AuditMetrics(meterFactory, () => QueueDepth, () => SpoolBytes);
        _traffic = new EdgeTrafficMetrics(_metrics.Meter, () => _sessions.Active);
        if (!_spools.IsEmpty)
        {
            LogSpoolFound(spoolPath, _spools.Bytes);
        }
    }

    /// <summary>Events lost: the queue and the spool were both full (or the spool could not be written).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Events written to the disk spool since start.</summary>
    public long Spooled => Interlocked.Read(ref _spooled);

    /// <summary>True while a spool holds events not yet acknowledged by their ledgers.</summary>
    public bool Spooling => !_spools.IsEmpty;

    /// <summary>True while the spool of <paramref name="tenantId"/> holds events not yet acknowledged by its ledger.</summary>
    public bool IsSpooling(string tenantId) => HasBacklog(tenantId) || _spools.IsOverflowing(tenantId);

    /// <summary>True while the tenant's spool (not counting its overflow) holds events, which its next ones must follow.</summary>
    private bool HasBacklog(string tenantId) => _spools.Find(tenantId) is { IsEmpty: false };

    /// <summary>Events waiting in the in-memory queue.</summary>
    internal int QueueDepth => _channel.Reader.Count;

    /// <summary>Bytes of the disk spool, all tenants together.</summary>
    internal long SpoolBytes => _spools.Bytes;

    /// <summary>The meter of this sink's instruments (<see cref="AuditMetrics"/>).</summary>
    internal Meter Meter => _metrics.Meter;

    public bool TryEmit(AuditEvent auditEvent)
    {
        _metrics.Accepted(DurabilityMode.Async);
        _traffic.Observe(auditEvent);
        var gate = Gate(auditEvent.TenantId);
        lock (gate.Lock)
        {
            return TryQueue(gate, auditEvent) || Overflow(gate, auditEvent);
        }
    }

    public ValueTask EmitAsync(AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        _metrics.Accepted(DurabilityMode.Sequenced);
        _traffic.Observe(auditEvent);
        var gate = Gate(auditEvent.TenantId);
        lock (gate.Lock)
        {
            if (gate.Overflowing)
            {
                Overflow(gate, auditEvent);
                return ValueTask.CompletedTask;
            }

            if (TryQueue(gate, auditEvent))
            {
                return ValueTask.CompletedTask;
            }
        }

        return WaitForRoomAsync(gate, auditEvent, cancellationToken);
    }

    public async Task<bool> AppendDurableAsync(AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        _metrics.Accepted(DurabilityMode.Durable);
        _traffic.Observe(auditEvent);
        var acknowledged = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_durableTimeout);
        try
        {
            await _channel.Writer.WriteAsync(new QueuedAuditEvent(auditEvent, acknowledged), timeout.Token);
            var delivered = await acknowledged.Task.WaitAsync(timeout.Token);
            if (!delivered)
            {
                _metrics.Refused(timedOut: false);
            }

            return delivered;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Tell the loop not to bother: the statement will not run, whatever happens to this event now.
            acknowledged.TrySetResult(false);
            LogDurableTimedOut(auditEvent.TenantId, _durableTimeout);
            _metrics.Refused(timedOut: true);
            return false;
        }
        catch (ChannelClosedException)
        {
            _metrics.Refused(timedOut: false);
            return false;
        }
    }

    private async ValueTask WaitForRoomAsync(TenantGate gate, AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_sequencedMaxWait);
        try
        {
            while (await _channel.Writer.WaitToWriteAsync(timeout.Token))
            {
                lock (gate.Lock)
                {
                    if (gate.Overflowing)
                    {
                        Overflow(gate, auditEvent);
                        return;
                    }

                    if (TryQueue(gate, auditEvent))
                    {
                        return;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }

        lock (gate.Lock)
        {
            Overflow(gate, auditEvent);
        }
    }

    private TenantGate Gate(string tenantId) => _gates.GetOrAdd(tenantId, _ => new TenantGate());

    /// <summary>Queues a non-durable event unless its tenant is overflowing or the queue is full. Under the gate's lock.</summary>
    private bool TryQueue(TenantGate gate, AuditEvent auditEvent)
    {
        if (gate.Overflowing || !_channel.Writer.TryWrite(new QueuedAuditEvent(auditEvent, null)))
        {
            return false;
        }

        gate.Queued++;
        return true;
    }

    /// <summary>
    /// Writes an event that cannot be queued to its tenant's overflow spool, where the tenant's next events follow it
    /// until the older ones still queued are handled. Under the gate's lock.
    /// </summary>
    private bool Overflow(TenantGate gate, AuditEvent auditEvent)
    {
        if (!gate.Overflowing)
        {
            gate.Overflowing = true;
            _overflowing[auditEvent.TenantId] = gate;
            _wake.Release();
        }

        return SpoolOrDrop([auditEvent], overflow: true);
    }

    /// <summary>
    /// The loop has handled <paramref name="handled"/> of the tenant's queued non-durable events; once none is left
    /// and the tenant overflowed, its overflow goes behind its spool and new events may be queued again.
    /// </summary>
    private void Handled(string tenantId, int handled)
    {
        var gate = Gate(tenantId);
        lock (gate.Lock)
        {
            gate.Queued -= handled;
            if (!gate.Overflowing || gate.Queued > 0)
            {
                return;
            }

            try
            {
                _spools.AdoptOverflow(tenantId);
                gate.Overflowing = false;
                _overflowing.TryRemove(tenantId, out _);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                LogSpoolFailed(ex, _spools.DirectoryPath);
            }
        }
    }

    /// <summary>Writes one tenant's events to its spool (or overflow spool); if it is full or cannot be written they are lost, and counted.</summary>
    private bool SpoolOrDrop(IReadOnlyList<AuditEvent> events, bool overflow = false)
    {
        if (events.Count == 0)
        {
            return true;
        }

        try
        {
            var spool = overflow ? _spools.Overflow(events[0].TenantId) : _spools.For(events[0].TenantId);
            if (spool.TryAppend(events))
            {
                Interlocked.Add(ref _spooled, events.Count);
                _metrics.Spooled(events.Count);
                return true;
            }

            LogSpoolFull(_spools.DirectoryPath, _spools.Bytes);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogSpoolFailed(ex, _spools.DirectoryPath);
        }

        var dropped = Interlocked.Add(ref _dropped, events.Count);
        _metrics.Dropped(events.Count);
        LogDropped(events.Count, events[0].TenantId, dropped);
        return false;
    }

    public override void Dispose()
    {
        _spools.Dispose();
        _metrics.Dispose();
        base.Dispose();
    }

    [LoggerMessage(EventId = 1100, EventName = "AuditEventDropped", Level = LogLevel.Warning,
        Message = "Audit queue and spool full: dropped {Count} events of tenant {TenantId} ({Dropped} dropped so far)")]
    private partial void LogDropped(int count, string tenantId, long dropped);

    [LoggerMessage(EventId = 1101, EventName = "AuditDeliveryFailed", Level = LogLevel.Warning,
        Message = "Could not deliver {Count} audit events of tenant {TenantId} to its ledger")]
    private partial void LogDeliveryFailed(Exception exception, string tenantId, int count);

    [LoggerMessage(EventId = 1102, EventName = "AuditDrainTimedOut", Level = LogLevel.Warning,
        Message = "{Sessions} sessions were still open when the audit queue closed at shutdown")]
    private partial void LogDrainTimedOut(int sessions);

    [LoggerMessage(EventId = 1103, EventName = "AuditDurableTimedOut", Level = LogLevel.Warning,
        Message = "The ledger of tenant {TenantId} did not acknowledge a durable event within {Timeout}; the statement is refused")]
    private partial void LogDurableTimedOut(string tenantId, TimeSpan timeout);

    [LoggerMessage(EventId = 1104, EventName = "AuditSpoolFull", Level = LogLevel.Warning,
        Message = "Audit spool {Path} is full ({Bytes} bytes)")]
    private partial void LogSpoolFull(string path, long bytes);

    [LoggerMessage(EventId = 1105, EventName = "AuditSpoolFailed", Level = LogLevel.Error,
        Message = "Could not write to the audit spool {Path}")]
    private partial void LogSpoolFailed(Exception exception, string path);

    [LoggerMessage(EventId = 1106, EventName = "AuditSpoolFound", Level = LogLevel.Information,
        Message = "Audit spool {Path} holds {Bytes} bytes of events from before; replaying them")]
    private partial void LogSpoolFound(string path, long bytes);

    [LoggerMessage(EventId = 1107, EventName = "AuditSpoolReplayed", Level = LogLevel.Information,
        Message = "Audit spool of tenant {TenantId} replayed: every spooled event is acknowledged by its ledger")]
    private partial void LogSpoolReplayed(string tenantId);

    [LoggerMessage(EventId = 1108, EventName = "AuditSpoolDamaged", Level = LogLevel.Error,
        Message = "A spooled record cannot be read; its segment was set aside as {Path} and its events are not replayed")]
    private partial void LogSpoolDamaged(Exception exception, string path);

    [LoggerMessage(EventId = 1109, EventName = "AuditSpoolReplayFailed", Level = LogLevel.Error,
        Message = "Replaying the audit spool of tenant {TenantId} failed; it is tried again later")]
    private partial void LogReplayFailed(Exception exception, string tenantId);
}
