using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text.Json;
using Tenants.Abstractions.Audit;

namespace Tenants.Edge.Audit;

/// <summary>
/// One tenant's disk spool on an edge node (a folder under the node's <see cref="AuditSpoolFolder"/>): audit events that
/// could not reach the tenant's ledger, kept in order in append-only segment files (<c>&lt;number&gt;.spool</c>) until
/// the ledger acknowledges them. Each batch is one record, framed as
/// <c>length (u32 LE) | CRC-32 of the payload (u32 LE) | payload</c> (a UTF-8 JSON array of events), and is on disk
/// (fsync) before <see cref="TryAppend"/> returns. A segment is deleted once every record in it is acknowledged; the
/// offset acknowledged in the oldest segment is kept in <c>ack</c>, so a restart resends little (and the ledger drops
/// what it already has by event id). A torn record at the end of the newest segment, the only damage a crash can
/// leave, is cut off when the spool opens. Thread-safe; the caller holds the folder's lock.
/// </summary>
internal sealed partial class AuditSpool : IDisposable
{
    private const int HeaderSize = 8;
    private const string Extension = ".spool";
    private const int MaxRecordBytes = 256 << 20;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General);

    private readonly Lock _lock = new();
    private readonly string _directory;
    private readonly SpoolBudget _budget;
    private readonly long _segmentBytes;
    private readonly SortedDictionary<long, long> _segments = [];
    private FileStream? _writer;
    private long _writerSegment = -1;
    private long _readSegment;
    private long _readOffset;
    private long _bytes;

    /// <summary>A spool with a budget of its own (a single spool, or one read once and emptied).</summary>
    public AuditSpool(string directory, long maxBytes, long segmentBytes)
        : this(directory, new SpoolBudget(maxBytes), segmentBytes)
    {
    }

    public AuditSpool(string directory, SpoolBudget budget, long segmentBytes)
    {
        _directory = directory;
        _budget = budget;
        _segmentBytes = segmentBytes;
        Directory.CreateDirectory(directory);
        Open();
        _budget.TryTake(_bytes, force: true);
    }

    /// <summary>The folder of the segment files.</summary>
    public string DirectoryPath => _directory;

    /// <summary>True when nothing waits for acknowledgement.</summary>
    public bool IsEmpty
    {
        get
        {
            lock (_lock)
            {
                return !HasUnread();
            }
        }
    }

    /// <summary>Bytes of segment files on disk.</summary>
    public long Bytes
    {
        get
        {
            lock (_lock)
            {
                return _bytes;
            }
        }
    }

    /// <summary>
    /// Writes <paramref name="events"/> as one record and forces it to disk; false (nothing written) if that would pass
    /// the size limit, unless <paramref name="force"/> (moving events that were already on disk).
    /// </summary>
    public bool TryAppend(IReadOnlyList<AuditEvent> events, bool force = false)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(events, Json);
        var record = new byte[HeaderSize + payload.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(record, (uint)payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(4), Crc32.HashToUInt32(payload));
        payload.CopyTo(record, HeaderSize);
        lock (_lock)
        {
            if (!_budget.TryTake(record.Length, force))
            {
                return false;
            }

            try
            {
                if (_writer is null || _writer.Length >= _segmentBytes)
                {
                    StartSegment();
                }

                _writer!.Write(record);
                _writer.Flush(flushToDisk: true);
            }
            catch (IOException)
            {
                _budget.Release(record.Length);
                throw;
            }

            _segments[_writerSegment] = _writer.Length;
            _bytes += record.Length;
            return true;
        }
    }

    /// <summary>The oldest record not yet acknowledged, or null.</summary>
    public SpoolRecord? Peek() => PeekBatch(1, long.MaxValue) is [var record, ..] ? record : null;

    /// <summary>
    /// The oldest records not yet acknowledged, in order: as many as it takes to reach <paramref name="maxEvents"/>
    /// events or <paramref name="maxBytes"/> bytes (at least one record, if there is any), stopping before a record
    /// that cannot be read. Empty when nothing waits.
    /// </summary>
    /// <exception cref="InvalidDataException">The oldest record cannot be read (see <see cref="QuarantineHead"/>).</exception>
    public IReadOnlyList<SpoolRecord> PeekBatch(int maxEvents, long maxBytes)
    {
        lock (_lock)
        {
            var records = new List<SpoolRecord>();
            long events = 0, bytes = 0;
            var segment = _readSegment;
            var offset = _readOffset;
            FileStream? file = null;
            try
            {
                while (events < maxEvents && bytes < maxBytes && _segments.Count > 0)
                {
                    if (!_segments.TryGetValue(segment, out var end) || offset >= end)
                    {
                        // Fully read: move on to the next segment, if there is one.
                        var next = _segments.Keys.FirstOrDefault(k => k > segment, -1);
                        if (next < 0)
                        {
                            break;
                        }

                        segment = next;
                        offset = 0;
                        if (records.Count == 0)
                        {
                            // Everything before is acknowledged; a damaged record here is the head to set aside.
                            _readSegment = segment;
                            _readOffset = 0;
                        }

                        file?.Dispose();
                        file = null;
                        continue;
                    }

                    file ??= new FileStream(SegmentPath(segment), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                    file.Position = offset;
                    List<AuditEvent>? read;
                    long length;
                    try
                    {
                        read = ReadRecord(file, out length);
                    }
                    catch (JsonException) when (records.Count > 0)
                    {
                        break;
                    }

                    if (read is null)
                    {
                        if (records.Count > 0)
                        {
                            break;
                        }

                        throw new InvalidDataException($"audit spool segment {SegmentPath(segment)} is damaged at offset {offset}");
                    }

                    records.Add(new SpoolRecord(segment, offset, offset + length, read));
                    events += read.Count;
                    bytes += length;
                    offset += length;
                }
            }
            finally
            {
                file?.Dispose();
            }

            return records;
        }
    }

    /// <summary>
    /// Sets aside the segment being read (renamed <c>.damaged</c>, for an operator to look at) when a record in it
    /// cannot be read, so that replay goes on with the next one. Returns the path it was moved to.
    /// </summary>
    public string QuarantineHead()
    {
        lock (_lock)
        {
            var segment = _readSegment;
            if (segment == _writerSegment)
            {
                _writer!.Dispose();
                _writer = null;
                _writerSegment = -1;
            }

            var path = SegmentPath(segment);
            File.Move(path, path + ".damaged", overwrite: true);
            _bytes -= _segments.GetValueOrDefault(segment);
            _budget.Release(_segments.GetValueOrDefault(segment));
            _segments.Remove(segment);
            _readOffset = 0;
            _readSegment = _segments.Count > 0 ? _segments.Keys.First() : segment + 1;
            WriteAck();
            return path + ".damaged";
        }
    }

    /// <summary>The ledger has <paramref name="record"/>: forget it, deleting segments with nothing left to send.</summary>
    public void Acknowledge(SpoolRecord record) => Acknowledge([record]);

    /// <summary>
    /// The ledger has <paramref name="records"/> (consecutive, from the oldest unacknowledged one on, as
    /// <see cref="PeekBatch"/> gave them): forget them, deleting segments with nothing left to send.
    /// </summary>
    public void Acknowledge(IReadOnlyList<SpoolRecord> records)
    {
        if (records.Count == 0)
        {
            return;
        }

        lock (_lock)
        {
            if (records[0].Segment != _readSegment || records[0].Offset != _readOffset)
            {
                throw new InvalidOperationException("audit spool records must be acknowledged in order");
            }

            _readSegment = records[^1].Segment;
            _readOffset = records[^1].End;
            foreach (var segment in _segments.Keys.Where(k => k < _readSegment || (k == _readSegment && _readOffset >= _segments[k])).ToList())
            {
                if (segment == _writerSegment)
                {
                    _writer!.Dispose();
                    _writer = null;
                    _writerSegment = -1;
                }

                File.Delete(SegmentPath(segment));
                _bytes -= _segments[segment];
                _budget.Release(_segments[segment]);
                _segments.Remove(segment);
                if (segment == _readSegment)
                {
                    _readOffset = 0;
                    _readSegment = _segments.Count > 0 ? _segments.Keys.First() : segment + 1;
                }
            }

            WriteAck();
        }
    }

    /// <summary>
    /// Moves every segment of <paramref name="other"/> (a spool never read from) behind this spool's own, in order, by
    /// renaming the files: its records are replayed after everything spooled here so far, and before anything appended
    /// later. A crash half-way leaves the rest in <paramref name="other"/>, to be moved on the next open.
    /// </summary>
    public void Adopt(AuditSpool other)
    {
        lock (_lock)
        {
            lock (other._lock)
            {
                if (other._segments.Count == 0)
                {
                    return;
                }

                // Appends from now on go to a new segment, behind the adopted ones.
                _writer?.Dispose();
                _writer = null;
                _writerSegment = -1;
                other._writer?.Dispose();
                other._writer = null;
                other._writerSegment = -1;

                var wasEmpty = !HasUnread();
                var next = _segments.Count > 0 ? _segments.Keys.Last() + 1 : Math.Max(_readSegment, 0);
                var first = next;
                foreach (var (segment, bytes) in other._segments)
                {
                    File.Move(other.SegmentPath(segment), SegmentPath(next));
                    _segments[next++] = bytes;
                    _bytes += bytes;
                }

                other._segments.Clear();
                other._bytes = 0;
                if (wasEmpty)
                {
                    _readSegment = first;
                    _readOffset = 0;
                }
            }
        }
    }

    /// <summary>Gives the budget back and deletes the <c>ack</c> file of a spool that is empty (a spool being retired).</summary>
    public void Retire()
    {
        lock (_lock)
        {
            if (HasUnread())
            {
                throw new InvalidOperationException("only an empty audit spool can be retired");
            }

            _writer?.Dispose();
            _writer = null;
            _writerSegment = -1;
            foreach (var (segment, bytes) in _segments)
            {
                File.Delete(SegmentPath(segment));
                _budget.Release(bytes);
            }

            _segments.Clear();
            _bytes = 0;
            File.Delete(Path.Combine(_directory, "ack"));
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _writer?.Dispose();
            _writer = null;
        }
    }
}
