using Tenants.Abstractions.Audit;
using Tenants.Edge.Audit;

namespace Tenants.Edge.Tests.Audit;

public sealed class AuditSpoolTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tenants-spool-" + Guid.NewGuid().ToString("N"));

    internal static AuditEvent Event(int n, string tenant = "tenant-a") => new()
    {
        EventId = Ulid.New(DateTimeOffset.UtcNow),
        Kind = AuditEventKind.Statement,
        Time = DateTimeOffset.UtcNow,
        TenantId = tenant,
        EndpointId = "db",
        SessionId = "session",
        Sql = $"insert into t values ({n})",
        Parameters = [n.ToString(System.Globalization.CultureInfo.InvariantCulture), null],
    };

    /// <summary>The event as the ledger stores it.</summary>
    internal static string Canonical(AuditEvent auditEvent)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            AuditEventJson.WriteBody(writer, auditEvent);
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public void Spool_ReopenedAfterRestart_GivesEveryBatchBackInOrderUntilAcknowledged()
    {
        var batches = Enumerable.Range(0, 50).Select(i => (IReadOnlyList<AuditEvent>)[Event(2 * i), Event(2 * i + 1)]).ToList();
        using (var spool = new AuditSpool(_directory, 1 << 20, 64 * 1024))
        {
            Assert.True(spool.IsEmpty);
            foreach (var batch in batches)
            {
                Assert.True(spool.TryAppend(batch));
            }

            // The first ten reach the ledger before the "restart".
            for (var i = 0; i < 10; i++)
            {
                spool.Acknowledge(spool.Peek()!);
            }
        }

        using var reopened = new AuditSpool(_directory, 1 << 20, 64 * 1024);
        var replayed = new List<AuditEvent>();
        while (reopened.Peek() is { } record)
        {
            replayed.AddRange(record.Events);
            reopened.Acknowledge(record);
        }

        Assert.Equal(batches.Skip(10).SelectMany(b => b).Select(e => e.EventId), replayed.Select(e => e.EventId));
        // Every field comes back as it went in: the ledger would store the same bytes.
        Assert.Equal(Canonical(batches[10][0]), Canonical(replayed[0]));
        Assert.True(reopened.IsEmpty);
        Assert.Empty(Directory.GetFiles(_directory, "*.spool"));
    }

    [Fact]
    public void Spool_TornRecordAtTheEnd_IsCutOffAndTheRestKept()
    {
        using (var spool = new AuditSpool(_directory, 1 << 20, 1 << 20))
        {
            spool.TryAppend([Event(1)]);
            spool.TryAppend([Event(2)]);
        }

        // A crash in the middle of the third write leaves half a record.
        var segment = Directory.GetFiles(_directory, "*.spool").Single();
        using (var file = new FileStream(segment, FileMode.Append))
        {
            file.Write([200, 0, 0, 0, 1, 2, 3, 4, (byte)'[', (byte)'{']);
        }

        using var reopened = new AuditSpool(_directory, 1 << 20, 1 << 20);
        var first = reopened.Peek()!;
        reopened.Acknowledge(first);
        var second = reopened.Peek()!;
        reopened.Acknowledge(second);
        Assert.Equal("insert into t values (1)", first.Events[0].Sql);
        Assert.Equal("insert into t values (2)", second.Events[0].Sql);
        Assert.Null(reopened.Peek());
        Assert.True(reopened.TryAppend([Event(3)]));
        Assert.Equal("insert into t values (3)", reopened.Peek()!.Events[0].Sql);
    }

    [Fact]
    public void Spool_AtItsSizeLimit_RefusesMoreAndKeepsWhatItHas()
    {
        using var spool = new AuditSpool(_directory, 64 * 1024, 64 * 1024);
        var appended = 0;
        while (spool.TryAppend([Event(appended)]))
        {
            appended++;
        }

        Assert.InRange(spool.Bytes, 60 * 1024, 64 * 1024);
        var kept = 0;
        while (spool.Peek() is { } record)
        {
            spool.Acknowledge(record);
            kept++;
        }

        Assert.Equal(appended, kept);
        Assert.True(spool.TryAppend([Event(0)]));
    }

    [Fact]
    public void Spool_DamagedOlderSegment_IsSetAsideAndReplayGoesOnWithTheNext()
    {
        using (var spool = new AuditSpool(_directory, 1 << 20, 64 * 1024))
        {
            for (var i = 0; Directory.GetFiles(_directory, "*.spool").Length < 2; i++)
            {
                spool.TryAppend([Event(i)]);
            }
        }

        var segments = Directory.GetFiles(_directory, "*.spool").Order(StringComparer.Ordinal).ToList();
        var bytes = File.ReadAllBytes(segments[0]);
        bytes[20] ^= 0xFF;
        File.WriteAllBytes(segments[0], bytes);

        using var reopened = new AuditSpool(_directory, 1 << 20, 64 * 1024);
        Assert.Throws<InvalidDataException>(() => reopened.Peek());
        var setAside = reopened.QuarantineHead();

        Assert.True(File.Exists(setAside));
        var next = reopened.Peek()!;
        Assert.Equal(Path.GetFileNameWithoutExtension(segments[1]), next.Segment.ToString("D16", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(0, next.Offset);
    }

    [Fact]
    public void Spool_PeekBatch_GivesConsecutiveRecordsAcrossSegmentsUpToTheLimit_AcknowledgedTogether()
    {
        using var spool = new AuditSpool(_directory, 1 << 20, 4 * 1024);
        var events = Enumerable.Range(0, 60).Select(i => Event(i)).ToList();
        foreach (var e in events)
        {
            spool.TryAppend([e]);
        }

        Assert.True(Directory.GetFiles(_directory, "*.spool").Length > 1);
        var first = spool.PeekBatch(25, long.MaxValue);
        Assert.Equal(events.Take(25).Select(e => e.EventId), first.SelectMany(r => r.Events).Select(e => e.EventId));

        // Peeking does not move on; acknowledging the batch does, and deletes the segments it finished.
        Assert.Equal((first[0].Segment, first[0].Offset), (spool.Peek()!.Segment, spool.Peek()!.Offset));
        spool.Acknowledge(first);
        var rest = spool.PeekBatch(1000, long.MaxValue);
        Assert.Equal(events.Skip(25).Select(e => e.EventId), rest.SelectMany(r => r.Events).Select(e => e.EventId));
        Assert.Throws<InvalidOperationException>(() => spool.Acknowledge(rest.Skip(1).ToList()));
        spool.Acknowledge(rest);
        Assert.True(spool.IsEmpty);
        Assert.Empty(Directory.GetFiles(_directory, "*.spool"));
    }

    [Fact]
    public void Spool_Adopt_PutsTheOthersRecordsBehindItsOwnAndBeforeLaterOnes()
    {
        var overflowPath = Path.Combine(_directory, "overflow");
        using var spool = new AuditSpool(_directory, 1 << 20, 1 << 20);
        using var overflow = new AuditSpool(overflowPath, 1 << 20, 1 << 20);
        spool.TryAppend([Event(0)]);
        overflow.TryAppend([Event(1)]);
        overflow.TryAppend([Event(2)]);
        spool.TryAppend([Event(3)]);

        // What the spool had, then the overflow, then what is appended after the move.
        spool.Adopt(overflow);
        spool.TryAppend([Event(4)]);

        var sql = spool.PeekBatch(100, long.MaxValue).SelectMany(r => r.Events).Select(e => e.Sql).ToList();
        int[] order = [0, 3, 1, 2, 4];
        Assert.Equal(order.Select(i => $"insert into t values ({i})"), sql);
        Assert.True(overflow.IsEmpty);
        Assert.Empty(Directory.GetFiles(overflowPath, "*.spool"));
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
