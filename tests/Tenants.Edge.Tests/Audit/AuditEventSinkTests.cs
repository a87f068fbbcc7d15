using Microsoft.Extensions.Logging.Abstractions;
using Tenants.Testing;
using Tenants.Edge.Audit;
using Tenants.Edge.Proxy;
using Tenants.Edge.Tests.Hosting;
using static Tenants.Edge.Tests.Audit.AuditSpoolTests;

namespace Tenants.Edge.Tests.Audit;

public sealed class AuditEventSinkTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly string _spool = Path.Combine(Path.GetTempPath(), "tenants-sink-" + Guid.NewGuid().ToString("N"));
    private readonly LedgerGrainFake _ledger = new();
    private readonly List<AuditEventSink> _sinks = [];

    private async Task<AuditEventSink> StartSinkAsync(int capacity = 1000, TimeSpan? durableTimeout = null)
    {
        var options = new EdgeOptions { AuditQueueCapacity = capacity, AuditBatchSize = 100, DrainTimeout = TimeSpan.Zero };
        options.Audit.DurableTimeout = durableTimeout ?? TimeSpan.FromSeconds(5);
        var sink = new AuditEventSink(_ledger.For, new EndpointConnectionLimiter(), options, _spool, TimeProvider.System, NullLogger<AuditEventSink>.Instance);
        _sinks.Add(sink);
        await sink.StartAsync(CancellationToken.None);
        return sink;
    }

    private async Task StopAsync(AuditEventSink sink)
    {
        await sink.StopAsync(CancellationToken.None);
        sink.Dispose();
        _sinks.Remove(sink);
    }

    [Fact]
    public async Task Durable_LedgerAvailable_AcknowledgedOnlyOnceTheLedgerHasTheEvent()
    {
        var sink = await StartSinkAsync();
        var e = Event(1);

        Assert.True(await sink.AppendDurableAsync(e, CancellationToken.None));

        Assert.Contains(_ledger.Events, x => x.EventId == e.EventId);
    }

    [Fact]
    public async Task Durable_LedgerDown_RefusedAndNotSpooled()
    {
        var sink = await StartSinkAsync();
        _ledger.Available = false;

        Assert.False(await sink.AppendDurableAsync(Event(1), CancellationToken.None));

        Assert.Empty(_ledger.Events);
        Assert.Equal(0, sink.Spooled);
    }

    [Fact]
    public async Task Durable_LedgerHangs_RefusedAtTheTimeout()
    {
        var sink = await StartSinkAsync(durableTimeout: TimeSpan.FromMilliseconds(300));
        _ledger.Block();

        Assert.False(await sink.AppendDurableAsync(Event(1), CancellationToken.None));

        _ledger.Release();
    }

    [Fact]
    public async Task Async_LedgerDown_EventsSpooledThenReplayedInOrderExactlyOnce()
    {
        var sink = await StartSinkAsync();
        _ledger.Available = false;
        var events = Enumerable.Range(0, 200).Select(i => Event(i, i % 2 == 0 ? "tenant-a" : "tenant-b")).ToList();
        foreach (var e in events)
        {
            Assert.True(sink.TryEmit(e));
        }

        await Eventually.TrueAsync(() => Task.FromResult(sink.Spooled == events.Count), Patience, "every event spooled");
        Assert.Empty(_ledger.Events);

        _ledger.Available = true;
        var delivered = await _ledger.WaitForAsync(l => l.Count >= events.Count, Patience);

        // Each tenant's ledger gets its events in the order they were emitted, each once.
        foreach (var tenant in new[] { "tenant-a", "tenant-b" })
        {
            Assert.Equal(events.Where(e => e.TenantId == tenant).Select(e => e.EventId), delivered.Where(e => e.TenantId == tenant).Select(e => e.EventId));
        }

        Assert.Equal(events.Count, delivered.Count);
        Assert.Equal(0, sink.Dropped);
        await Eventually.TrueAsync(() => Task.FromResult(!sink.Spooling), Patience, "the spool emptied");
        Assert.Empty(Directory.GetFiles(_spool, "*.spool", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Async_SpooledWhenTheNodeStops_ReplayedByTheNextStart()
    {
        var first = await StartSinkAsync();
        _ledger.Available = false;
        var events = Enumerable.Range(0, 20).Select(i => Event(i)).ToList();
        foreach (var e in events)
        {
            first.TryEmit(e);
        }

        await StopAsync(first);
        Assert.Empty(_ledger.Events);

        _ledger.Available = true;
        await StartSinkAsync();
        var delivered = await _ledger.WaitForAsync(l => l.Count >= events.Count, Patience);

        Assert.Equal(events.Select(e => e.EventId), delivered.Select(e => e.EventId));
    }

    [Fact]
    public async Task Sequenced_QueueFull_SendersWaitAndNothingIsDropped()
    {
        var sink = await StartSinkAsync(capacity: 4);
        _ledger.Block();
        var events = Enumerable.Range(0, 40).Select(i => Event(i)).ToList();

        var sends = events.Select(e => sink.EmitAsync(e, CancellationToken.None).AsTask()).ToList();

        // The queue holds 4 and the loop one batch: the rest of the senders are waiting, not dropping.
        Assert.Contains(sends, s => !s.IsCompleted);
        _ledger.Release();
        await Task.WhenAll(sends);
        var delivered = await _ledger.WaitForAsync(l => l.Count >= events.Count, Patience);

        Assert.Equal(events.Select(e => e.EventId).Order(), delivered.Select(e => e.EventId).Order());
        Assert.Equal(0, sink.Dropped);
        Assert.Equal(0, sink.Spooled);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _ledger.Release();
        foreach (var sink in _sinks.ToList())
        {
            await StopAsync(sink);
        }

        if (Directory.Exists(_spool))
        {
            Directory.Delete(_spool, recursive: true);
        }
    }
}
