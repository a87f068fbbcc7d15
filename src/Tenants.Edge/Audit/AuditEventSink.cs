using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tenants.Abstractions.Audit;
using Tenants.Abstractions.Ledger;
using Tenants.Edge.Proxy;

namespace Tenants.Edge.Audit;

/// <summary>
/// A bounded queue between the proxy sessions and the ledger grains: sessions enqueue without waiting, a single
/// background loop drains whatever has accumulated, groups it by tenant and delivers each group in one grain call.
/// Delivery failures are retried with backoff while the events stay queued (event ids make retries idempotent).
/// </summary>
internal sealed partial class AuditEventSink : BackgroundService, IAuditEventSink
{
    private readonly Channel<AuditEvent> _channel;
    private readonly IGrainFactory _grains;
    private readonly ILogger<AuditEventSink> _logger;
    private readonly int _batchSize;
    private readonly TimeSpan _drainTimeout;
    private readonly EndpointConnectionLimiter _sessions;
    private readonly List<AuditEvent> _inFlight = [];
    private long _dropped;

    public AuditEventSink(IGrainFactory grains, EndpointConnectionLimiter sessions, IOptions<EdgeOptions> options, ILogger<AuditEventSink> logger)
    {
        _grains = grains;
        _sessions = sessions;
        _drainTimeout = options.Value.DrainTimeout;
        _logger = logger;
        _batchSize = options.Value.AuditBatchSize;
        _channel = Channel.CreateBounded<AuditEvent>(new BoundedChannelOptions(options.Value.AuditQueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Events dropped because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public bool TryEmit(AuditEvent auditEvent)
    {
        if (_channel.Writer.TryWrite(auditEvent))
        {
            return true;
        }

        var dropped = Interlocked.Increment(ref _dropped);
        LogDropped(auditEvent.TenantId, auditEvent.Kind, dropped);
        return false;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = _channel.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                while (_inFlight.Count < _batchSize && reader.TryRead(out var item))
                {
                    _inFlight.Add(item);
                }

                await DeliverAsync(_inFlight, stoppingToken);
                _inFlight.Clear();
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
        // stopped and whatever is still queued. A batch cut off half-way is sent again: event ids make that harmless.
        await base.StopAsync(cancellationToken);
        _channel.Writer.TryComplete();
        var remaining = new List<AuditEvent>(_inFlight);
        while (_channel.Reader.TryRead(out var item))
        {
            remaining.Add(item);
        }

        if (remaining.Count > 0)
        {
            await DeliverAsync(remaining, cancellationToken);
        }
    }

    private async Task DeliverAsync(List<AuditEvent> batch, CancellationToken cancellationToken)
    {
        foreach (var group in batch.GroupBy(e => e.TenantId, StringComparer.Ordinal))
        {
            var events = group.ToList();
            var delay = TimeSpan.FromMilliseconds(100);
            while (true)
            {
                try
                {
                    await _grains.GetGrain<ILedgerGrain>(group.Key).AppendAsync(events, cancellationToken);
                    break;
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    LogDeliveryFailed(ex, group.Key, events.Count, delay);
                    await Task.Delay(delay, cancellationToken);
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
                }
            }
        }
    }

    [LoggerMessage(EventId = 1100, EventName = "AuditEventDropped", Level = LogLevel.Warning,
        Message = "Audit queue full: dropped a {Kind} event of tenant {TenantId} ({Dropped} dropped so far)")]
    private partial void LogDropped(string tenantId, AuditEventKind kind, long dropped);

    [LoggerMessage(EventId = 1102, EventName = "AuditDrainTimedOut", Level = LogLevel.Warning,
        Message = "{Sessions} sessions were still open when the audit queue closed at shutdown")]
    private partial void LogDrainTimedOut(int sessions);

    [LoggerMessage(EventId = 1101, EventName = "AuditDeliveryFailed", Level = LogLevel.Warning,
        Message = "Could not deliver {Count} audit events of tenant {TenantId}; retrying in {Delay}")]
    private partial void LogDeliveryFailed(Exception exception, string tenantId, int count, TimeSpan delay);
}
