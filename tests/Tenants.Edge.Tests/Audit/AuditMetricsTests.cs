using Tenants.Edge.Audit;
using Tenants.Testing;
using static Tenants.Edge.Tests.Audit.AuditSpoolTests;

namespace Tenants.Edge.Tests.Audit;

public sealed class AuditMetricsTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private static readonly string[] BoundedTags = ["mode", "outcome", "source"];

    private readonly AuditSinkHarness _harness = new();

    [Fact]
    public async Task Metrics_EventsDeliveredRefusedSpooledAndReplayed_AreCountedByModeAndOutcome()
    {
        var sink = await _harness.StartAsync();
        using var metrics = new MetricRecorder(sink.Meter);

        for (var i = 0; i < 3; i++)
        {
            sink.TryEmit(Event(i));
        }

        await sink.EmitAsync(Event(3), CancellationToken.None);
        await sink.EmitAsync(Event(4), CancellationToken.None);
        Assert.True(await sink.AppendDurableAsync(Event(5), CancellationToken.None));
        await _harness.Ledger.WaitForAsync(l => l.Count >= 6, Patience);

        Assert.Equal(3, metrics.Sum("tenants.edge.audit.events.accepted", "mode", "async"));
        Assert.Equal(2, metrics.Sum("tenants.edge.audit.events.accepted", "mode", "sequenced"));
        Assert.Equal(1, metrics.Sum("tenants.edge.audit.events.accepted", "mode", "durable"));
        await Eventually.TrueAsync(() => Task.FromResult(metrics.Sum("tenants.edge.audit.events.delivered") == 6), Patience, "six events counted delivered");
        Assert.Equal(6, metrics.Sum("tenants.edge.audit.delivery.batch_size", "outcome", "delivered"));
        Assert.True(metrics.Count("tenants.edge.audit.delivery.duration", "source", "live") >= 1);

        // The ledger goes down: a durable statement is refused, async events are spooled.
        _harness.Ledger.Available = false;
        Assert.False(await sink.AppendDurableAsync(Event(6), CancellationToken.None));
        Assert.Equal(1, metrics.Sum("tenants.edge.audit.durable.refused", "outcome", "failed"));
        for (var i = 7; i < 11; i++)
        {
            sink.TryEmit(Event(i));
        }

        await Eventually.TrueAsync(() => Task.FromResult(metrics.Sum("tenants.edge.audit.events.spooled") == 4), Patience, "four events counted spooled");
        Assert.True(metrics.Observe("tenants.edge.audit.spool.size") > 0);
        Assert.True(metrics.Count("tenants.edge.audit.delivery.batch_size", "outcome", "failed") >= 1);

        // It comes back: the spool is replayed, and empty.
        _harness.Ledger.Available = true;
        await Eventually.TrueAsync(() => Task.FromResult(metrics.Sum("tenants.edge.audit.events.replayed") == 4), Patience, "four events counted replayed");
        Assert.Equal(0, metrics.Observe("tenants.edge.audit.spool.size"));
        Assert.True(metrics.Count("tenants.edge.audit.delivery.batch_size", "source", "replay") >= 1);
        Assert.Equal(0, metrics.Sum("tenants.edge.audit.events.dropped"));
    }

    [Fact]
    public async Task Metrics_LedgerHangsAndTheSpoolIsFull_QueueDepthShownAndLostEventsCounted()
    {
        var sink = await _harness.StartAsync(o => o.Audit.SpoolMaxBytes = 1);
        using var metrics = new MetricRecorder(sink.Meter);
        _harness.Ledger.Block();
        for (var i = 0; i < 50; i++)
        {
            Assert.True(sink.TryEmit(Event(i)));
        }

        // One batch is in the hanging call; the rest wait in the queue.
        await Eventually.TrueAsync(() => Task.FromResult(metrics.Observe("tenants.edge.audit.queue.depth") > 0), Patience, "a queue depth above zero");

        _harness.Ledger.Available = false;
        _harness.Ledger.Release();
        await Eventually.TrueAsync(() => Task.FromResult(metrics.Sum("tenants.edge.audit.events.dropped") == 50), Patience, "fifty events counted lost");
        Assert.Equal(50, sink.Dropped);
        Assert.Equal(0, metrics.Sum("tenants.edge.audit.events.spooled"));
    }

    [Fact]
    public void Metrics_Tags_NeverCarryTheTenant()
    {
        // Tenant ids are unbounded; a tag per tenant would make a time series per tenant in every instrument.
        using var sink = new AuditMetrics(null, () => 0, () => 0);
        using var metrics = new MetricRecorder(sink.Meter);
        sink.Accepted(Edge.DurabilityMode.Async);
        sink.Delivery(replay: false, delivered: true, 10, TimeSpan.FromMilliseconds(1));
        sink.Refused(timedOut: true);

        Assert.All(metrics.TagKeys(), key => Assert.Contains(key, BoundedTags));
        Assert.Equal(1, metrics.Sum("tenants.edge.audit.durable.refused", "outcome", "timed_out"));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _harness.CleanUpAsync();
}
