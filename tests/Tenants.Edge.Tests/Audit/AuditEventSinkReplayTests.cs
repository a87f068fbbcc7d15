using Tenants.Abstractions.Audit;
using Tenants.Edge.Audit;
using Tenants.Testing;
using static Tenants.Edge.Tests.Audit.AuditSpoolTests;

namespace Tenants.Edge.Tests.Audit;

public sealed class AuditEventSinkReplayTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly AuditSinkHarness _harness = new();

    private static IEnumerable<string> Ids(IEnumerable<AuditEvent> events, string tenant) =>
        events.Where(e => e.TenantId == tenant).Select(e => e.EventId);

    [Fact]
    public async Task Replay_SpoolOfManyRecords_DrainsInFarFewerLedgerCallsThanRecords()
    {
        // 500 records of one event each, as a node leaves them when it spools event by event under a full queue.
        var events = Enumerable.Range(0, 500).Select(i => Event(i)).ToList();
        using (var folder = new AuditSpoolFolder(_harness.SpoolPath, 1L << 30, 1L << 20))
        {
            var spool = folder.For("tenant-a");
            foreach (var e in events)
            {
                Assert.True(spool.TryAppend([e]));
            }
        }

        var sink = await _harness.StartAsync();
        var delivered = await _harness.Ledger.WaitForAsync(l => l.Count >= events.Count, Patience);

        Assert.Equal(events.Select(e => e.EventId), delivered.Select(e => e.EventId));
        // Batches of up to AuditBatchSize (100) events: five calls, where one record per call took 500.
        Assert.InRange(_harness.Ledger.Appends("tenant-a"), 1, 10);
        await Eventually.TrueAsync(() => Task.FromResult(!sink.Spooling), Patience, "the spool emptied");
        Assert.Empty(_harness.SegmentFiles());
    }

    [Fact]
    public async Task Replay_OneTenantsLedgerStaysDown_OtherTenantsSpooledAndNewEventsAreDelivered()
    {
        var sink = await _harness.StartAsync();
        _harness.Ledger.Available = false;
        var spooled = Enumerable.Range(0, 100).Select(i => Event(i, i % 2 == 0 ? "tenant-a" : "tenant-b")).ToList();
        foreach (var e in spooled)
        {
            Assert.True(sink.TryEmit(e));
        }

        await Eventually.TrueAsync(() => Task.FromResult(sink.Spooled == spooled.Count), Patience, "every event spooled");

        // B's ledger comes back; A's stays down. New events of both keep coming.
        _harness.Ledger.SetAvailable("tenant-a", false);
        _harness.Ledger.Available = true;
        var later = Enumerable.Range(100, 100).Select(i => Event(i, i % 2 == 0 ? "tenant-a" : "tenant-b")).ToList();
        foreach (var e in later)
        {
            await sink.EmitAsync(e, CancellationToken.None);
        }

        var all = spooled.Concat(later).ToList();
        var delivered = await _harness.Ledger.WaitForAsync(l => l.Count(e => e.TenantId == "tenant-b") >= 100, Patience);
        Assert.Equal(Ids(all, "tenant-b"), Ids(delivered, "tenant-b"));
        Assert.DoesNotContain(delivered, e => e.TenantId == "tenant-a");
        Assert.True(sink.IsSpooling("tenant-a"));
        Assert.False(sink.IsSpooling("tenant-b"));

        // A's ledger returns: its spool, older events and newer, arrives in order, each once.
        _harness.Ledger.SetAvailable("tenant-a", true);
        delivered = await _harness.Ledger.WaitForAsync(l => l.Count >= all.Count, Patience);
        Assert.Equal(Ids(all, "tenant-a"), Ids(delivered, "tenant-a"));
        Assert.Equal(all.Count, delivered.Count);
        Assert.Equal(0, sink.Dropped);
    }

    [Fact]
    public async Task Replay_EventsKeepComingWhileTheSpoolDrains_EachTenantsOrderHoldsAcrossSpoolAndQueue()
    {
        var sink = await _harness.StartAsync();
        _harness.Ledger.Available = false;
        var tenants = new[] { "tenant-a", "tenant-b", "tenant-c" };
        var events = Enumerable.Range(0, 6000).Select(i => Event(i, tenants[i % 3])).ToList();
        foreach (var e in events.Take(3000))
        {
            Assert.True(sink.TryEmit(e));
        }

        await Eventually.TrueAsync(() => Task.FromResult(sink.Spooled == 3000), Patience, "the first half spooled");

        // The ledgers return while the second half is being emitted, in both non-durable modes: some of it follows
        // the spool to disk, the rest goes straight from the queue once a tenant's spool is empty.
        _harness.Ledger.Available = true;
        for (var i = 3000; i < events.Count; i++)
        {
            if (i % 2 == 0)
            {
                Assert.True(sink.TryEmit(events[i]));
            }
            else
            {
                await sink.EmitAsync(events[i], CancellationToken.None);
            }
        }

        var delivered = await _harness.Ledger.WaitForAsync(l => l.Count >= events.Count, Patience);
        foreach (var tenant in tenants)
        {
            Assert.Equal(Ids(events, tenant), Ids(delivered, tenant));
        }

        Assert.Equal(events.Count, delivered.Count);
        Assert.Equal(0, _harness.Ledger.Duplicates);
    }

    [Fact]
    public async Task Overflow_QueueFullWhileTheLedgerHangs_EventsThatOverflowStayBehindTheQueuedOnes()
    {
        var sink = await _harness.StartAsync(o => o.AuditQueueCapacity = 10);
        _harness.Ledger.Block();
        var events = Enumerable.Range(0, 500).Select(i => Event(i)).ToList();
        var sends = new List<Task>();
        for (var i = 0; i < events.Count; i++)
        {
            // Async events never wait: past the first batch and the ten queued they overflow to disk.
            if (i % 3 == 0)
            {
                sends.Add(sink.EmitAsync(events[i], CancellationToken.None).AsTask());
            }
            else
            {
                Assert.True(sink.TryEmit(events[i]));
            }
        }

        Assert.True(sink.IsSpooling("tenant-a"));
        _harness.Ledger.Release();
        await Task.WhenAll(sends);
        var delivered = await _harness.Ledger.WaitForAsync(l => l.Count >= events.Count, Patience);

        Assert.Equal(events.Select(e => e.EventId), delivered.Select(e => e.EventId));
        Assert.Equal(0, sink.Dropped);
        await Eventually.TrueAsync(() => Task.FromResult(!sink.Spooling), Patience, "the spool emptied");
        Assert.Empty(_harness.SegmentFiles());
    }

    [Fact]
    public async Task Replay_NodeCrashesMidReplay_NextSinkOverTheFolderDeliversTheRestInOrderOnce()
    {
        var first = await _harness.StartAsync();
        _harness.Ledger.Available = false;
        var events = Enumerable.Range(0, 300).Select(i => Event(i)).ToList();
        foreach (var e in events)
        {
            Assert.True(first.TryEmit(e));
        }

        await Eventually.TrueAsync(() => Task.FromResult(first.Spooled == events.Count), Patience, "every event spooled");

        // The ledger takes the first replayed batch, then hangs; the node dies with the second one in flight.
        var calls = 0;
        _harness.Ledger.OnAppend = _ =>
        {
            if (Interlocked.Increment(ref calls) == 2)
            {
                _harness.Ledger.Block();
            }

            return Task.CompletedTask;
        };
        _harness.Ledger.Available = true;
        await _harness.Ledger.WaitForAsync(l => l.Count > 0, Patience);
        await Eventually.TrueAsync(() => Task.FromResult(Volatile.Read(ref calls) >= 2), Patience, "the second replay call");
        var before = _harness.Ledger.Events.Count;
        _harness.Crash(first);
        Assert.InRange(before, 1, events.Count - 1);

        _harness.Ledger.OnAppend = null;
        _harness.Ledger.Release();
        var second = await _harness.StartAsync();
        var delivered = await _harness.Ledger.WaitForAsync(l => l.Count >= events.Count, Patience);

        Assert.Equal(events.Select(e => e.EventId), delivered.Select(e => e.EventId));
        // What was acknowledged before the crash is not sent again; the cut-off batch may be (dropped by event id).
        Assert.InRange(_harness.Ledger.Duplicates, 0, 200);
        await Eventually.TrueAsync(() => Task.FromResult(!second.Spooling), Patience, "the spool emptied");
        Assert.Empty(_harness.SegmentFiles());
    }

    [Fact]
    public async Task Replay_SpoolSharedByAllTenantsFromAnOlderVersion_IsMovedToTheTenantsAndDeliveredInOrder()
    {
        var events = Enumerable.Range(0, 200).Select(i => Event(i, i % 2 == 0 ? "tenant-a" : "tenant-b")).ToList();
        using (var shared = new AuditSpool(_harness.SpoolPath, 1L << 30, 1L << 20))
        {
            foreach (var chunk in events.Chunk(7))
            {
                Assert.True(shared.TryAppend(chunk));
            }
        }

        await _harness.StartAsync();
        var delivered = await _harness.Ledger.WaitForAsync(l => l.Count >= events.Count, Patience);

        foreach (var tenant in new[] { "tenant-a", "tenant-b" })
        {
            Assert.Equal(Ids(events, tenant), Ids(delivered, tenant));
        }

        Assert.Empty(Directory.GetFiles(_harness.SpoolPath, "*.spool"));
        Assert.False(File.Exists(Path.Combine(_harness.SpoolPath, "ack")));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _harness.CleanUpAsync();
}
