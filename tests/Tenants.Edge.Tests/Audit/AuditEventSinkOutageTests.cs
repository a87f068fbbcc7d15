using System.Globalization;
using Tenants.Abstractions.Audit;
using Tenants.Testing;
using static Tenants.Edge.Tests.Audit.AuditSpoolTests;

namespace Tenants.Edge.Tests.Audit;

/// <summary>A ledger out of reach for a long time, with a lot of traffic: memory stays bounded and nothing is lost.</summary>
public sealed class AuditEventSinkOutageTests : IAsyncLifetime
{
    private const long MemoryBound = 96L << 20;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(180);
    private static readonly string Padding = "/* " + new string('x', 1000) + " */ ";
    private static readonly string[] Tenants = ["tenant-a", "tenant-b", "tenant-c", "tenant-d"];

    private readonly AuditSinkHarness _harness = new();

    private static AuditEvent LongEvent(int n, string tenant, string session) =>
        Event(n, tenant) with { SessionId = session, Sql = Padding + "insert into t values (" + n.ToString(CultureInfo.InvariantCulture) + ")" };

    private static long Managed() => GC.GetTotalMemory(forceFullCollection: true);

    [Fact]
    public async Task Outage_200kAsyncAndSequencedEventsWithLongSql_MemoryStaysBoundedAndAllArriveInOrder()
    {
        const int count = 200_000;
        var sink = await _harness.StartAsync(o =>
        {
            o.AuditQueueCapacity = 2_000;
            o.AuditBatchSize = 1_000;
            o.Audit.SpoolMaxBytes = 4L << 30;
            o.Audit.SpoolSegmentBytes = 16L << 20;
        });
        _harness.Ledger.KeepSql = false;
        _harness.Ledger.Available = false;
        var ids = new string[count];
        var baseline = Managed();
        long peak = 0;

        // About 2 KB per event in memory (UTF-16 SQL): 400 MB in all, were it kept.
        for (var i = 0; i < count; i++)
        {
            var e = LongEvent(i, Tenants[i % Tenants.Length], "session");
            ids[i] = e.EventId;
            if (i % 2 == 0)
            {
                Assert.True(sink.TryEmit(e));
            }
            else
            {
                await sink.EmitAsync(e, CancellationToken.None);
            }

            if (i % 20_000 == 0)
            {
                peak = Math.Max(peak, Managed() - baseline);
            }
        }

        await Eventually.TrueAsync(() => Task.FromResult(sink.Spooled == count), Patience, "every event spooled");
        peak = Math.Max(peak, Managed() - baseline);
        Assert.InRange(peak, long.MinValue, MemoryBound);
        Assert.InRange(sink.SpoolBytes, 200L << 20, long.MaxValue);
        Assert.Empty(_harness.Ledger.Events);

        _harness.Ledger.Available = true;
        var delivered = await _harness.Ledger.WaitForAsync(l => l.Count >= count, Patience);

        for (var t = 0; t < Tenants.Length; t++)
        {
            var tenant = Tenants[t];
            Assert.Equal(ids.Where((_, i) => i % Tenants.Length == t), delivered.Where(e => e.TenantId == tenant).Select(e => e.EventId));
        }

        Assert.Equal(count, delivered.Count);
        Assert.Equal(0, sink.Dropped);
        await Eventually.TrueAsync(() => Task.FromResult(!sink.Spooling), Patience, "the spool emptied");
        Assert.Empty(_harness.SegmentFiles());
    }

    [Fact]
    public async Task Outage_LedgerHangsUnderSequencedLoad_SendersWaitAndMemoryStaysBounded()
    {
        const int senders = 16, perSender = 5_000;
        var sink = await _harness.StartAsync(o =>
        {
            o.AuditQueueCapacity = 1_000;
            o.Audit.DurableTimeout = TimeSpan.FromMinutes(5);
            o.Audit.SequencedMaxWait = TimeSpan.FromMinutes(5);
        });
        _harness.Ledger.KeepSql = false;
        _harness.Ledger.Block();
        var baseline = Managed();

        // 80,000 events of about 2 KB each (160 MB), from sessions that each send their next when the last is queued.
        var sends = Enumerable.Range(0, senders).Select(s => Task.Run(async () =>
        {
            for (var i = 0; i < perSender; i++)
            {
                await sink.EmitAsync(LongEvent(i, Tenants[s % Tenants.Length], "session-" + s.ToString(CultureInfo.InvariantCulture)), CancellationToken.None);
            }
        })).ToList();

        await Eventually.TrueAsync(() => Task.FromResult(sink.QueueDepth == 1_000), Patience, "the queue full");
        var held = Managed() - baseline;

        // Every session waits for room, none has finished; nothing was spooled or lost.
        Assert.DoesNotContain(sends, s => s.IsCompleted);
        Assert.InRange(held, long.MinValue, MemoryBound);
        Assert.Equal(0, sink.Spooled);

        _harness.Ledger.Release();
        await Task.WhenAll(sends);
        var delivered = await _harness.Ledger.WaitForAsync(l => l.Count >= senders * perSender, Patience);

        foreach (var session in delivered.GroupBy(e => e.SessionId))
        {
            Assert.Equal(Enumerable.Range(0, perSender).Select(i => i.ToString(CultureInfo.InvariantCulture)), session.Select(e => e.Parameters![0]));
        }

        Assert.Equal(senders * perSender, delivered.Count);
        Assert.Equal(0, sink.Dropped);
        Assert.Equal(0, sink.Spooled);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _harness.CleanUpAsync();
}
