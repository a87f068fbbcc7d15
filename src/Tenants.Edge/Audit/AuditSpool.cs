using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;
using System.Text.Json;
using Tenants.Abstractions.Audit;

namespace Tenants.Edge.Audit;

/// <summary>
/// The edge node's disk spool: audit events that could not reach their ledger, kept in order in append-only segment
/// files (<c>&lt;number&gt;.spool</c>) until the ledger acknowledges them. Each batch is one record, framed as
/// <c>length (u32 LE) | CRC-32 of the payload (u32 LE) | payload</c> (a UTF-8 JSON array of events), and is on disk
/// (fsync) before <see cref="TryAppend"/> returns. A segment is deleted once every record in it is acknowledged; the
/// offset acknowledged in the oldest segment is kept in <c>ack</c>, so a restart resends little (and the ledger drops
/// what it already has by event id). A torn record at the end of the newest segment, the only damage a crash can
/// leave, is cut off when the spool opens. Thread-safe.
/// </summary>
internal sealed class AuditSpool : IDisposable
{
    private const int HeaderSize = 8;
    private const string Extension = ".spool";
    private const int MaxRecordBytes = 256 << 20;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General);

    private readonly Lock _lock = new();
    private readonly string _directory;
    private readonly long _maxBytes;
    private readonly long _segmentBytes;
    private readonly SortedDictionary<long, long> _segments = [];
    private readonly FileStream _lockFile;
    private FileStream? _writer;
    private long _writerSegment = -1;
    private long _readSegment;
    private long _readOffset;
    private long _bytes;

    public AuditSpool(string directory, long maxBytes, long segmentBytes)
    {
        _directory = directory;
        _maxBytes = maxBytes;
        _segmentBytes = segmentBytes;
        Directory.CreateDirectory(directory);

        // One process per spool: a second node on the same folder would replay and delete the first one's events.
        try
        {
            _lockFile = new FileStream(Path.Combine(directory, "lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new IOException($"the audit spool {directory} is in use by another process; give each edge node its own Edge:Audit:SpoolPath", ex);
        }

        Open();
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

    /// <summary>Writes <paramref name="events"/> as one record and forces it to disk; false (nothing written) if that would pass the size limit.</summary>
    public bool TryAppend(IReadOnlyList<AuditEvent> events)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(events, Json);
        var record = new byte[HeaderSize + payload.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(record, (uint)payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(4), Crc32.HashToUInt32(payload));
        payload.CopyTo(record, HeaderSize);
        lock (_lock)
        {
            if (_bytes + record.Length > _maxBytes)
            {
                return false;
            }

            if (_writer is null || _writer.Length >= _segmentBytes)
            {
                StartSegment();
            }

            _writer!.Write(record);
            _writer.Flush(flushToDisk: true);
            _segments[_writerSegment] = _writer.Length;
            _bytes += record.Length;
            return true;
        }
    }

    /// <summary>The oldest record not yet acknowledged, or null.</summary>
    public SpoolRecord? Peek()
    {
        lock (_lock)
        {
            while (HasUnread())
            {
                if (!_segments.TryGetValue(_readSegment, out var end) || _readOffset >= end)
                {
                    // Fully read and not the segment being written: move on.
                    _readSegment = _segments.Keys.First(k => k > _readSegment);
                    _readOffset = 0;
                    continue;
                }

                using var file = new FileStream(SegmentPath(_readSegment), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                file.Position = _readOffset;
                var events = ReadRecord(file, out var length) ?? throw new InvalidDataException($"audit spool segment {SegmentPath(_readSegment)} is damaged at offset {_readOffset}");
                return new SpoolRecord(_readSegment, _readOffset, _readOffset + length, events);
            }

            return null;
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
            _segments.Remove(segment);
            _readOffset = 0;
            _readSegment = _segments.Count > 0 ? _segments.Keys.First() : segment + 1;
            WriteAck();
            return path + ".damaged";
        }
    }

    /// <summary>The ledger has <paramref name="record"/>: forget it, deleting segments with nothing left to send.</summary>
    public void Acknowledge(SpoolRecord record)
    {
        lock (_lock)
        {
            if (record.Segment != _readSegment || record.Offset != _readOffset)
            {
                throw new InvalidOperationException("audit spool records must be acknowledged in order");
            }

            _readOffset = record.End;
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

    public void Dispose()
    {
        lock (_lock)
        {
            _writer?.Dispose();
            _writer = null;
            _lockFile.Dispose();
        }
    }

    private bool HasUnread() =>
        _segments.Count > 0 && (_readOffset < _segments.GetValueOrDefault(_readSegment) || _segments.Keys.Any(k => k > _readSegment));

    private void Open()
    {
        foreach (var path in Directory.EnumerateFiles(_directory, "*" + Extension))
        {
            if (long.TryParse(Path.GetFileNameWithoutExtension(path), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                _segments[number] = new FileInfo(path).Length;
            }
        }

        if (_segments.Count == 0)
        {
            _readSegment = 0;
            return;
        }

        // Cut a torn record off the newest segment; the older ones were complete when the next one started.
        var newest = _segments.Keys.Last();
        using (var file = new FileStream(SegmentPath(newest), FileMode.Open, FileAccess.ReadWrite))
        {
            long valid = 0;
            while (ReadRecord(file, out var length) is not null)
            {
                valid += length;
            }

            if (valid < file.Length)
            {
                file.SetLength(valid);
                file.Flush(flushToDisk: true);
            }

            _segments[newest] = valid;
        }

        _bytes = _segments.Values.Sum();
        _readSegment = _segments.Keys.First();
        _readOffset = ReadAck(_readSegment);
    }

    private void StartSegment()
    {
        _writer?.Dispose();
        var number = _segments.Count > 0 ? _segments.Keys.Last() + 1 : _readSegment;
        _writer = new FileStream(SegmentPath(number), FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete);
        _writerSegment = number;
        _segments[number] = 0;
        if (_segments.Count == 1)
        {
            _readSegment = number;
            _readOffset = 0;
        }
    }

    private static List<AuditEvent>? ReadRecord(FileStream file, out long length)
    {
        length = 0;
        Span<byte> header = stackalloc byte[HeaderSize];
        if (file.Read(header) != HeaderSize)
        {
            return null;
        }

        var size = BinaryPrimitives.ReadUInt32LittleEndian(header);
        var crc = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        if (size > MaxRecordBytes || size > file.Length - file.Position)
        {
            return null;
        }

        var payload = new byte[size];
        file.ReadExactly(payload);
        if (Crc32.HashToUInt32(payload) != crc)
        {
            return null;
        }

        length = HeaderSize + size;
        return JsonSerializer.Deserialize<List<AuditEvent>>(payload, Json);
    }

    private long ReadAck(long segment)
    {
        var path = Path.Combine(_directory, "ack");
        if (!File.Exists(path))
        {
            return 0;
        }

        var parts = File.ReadAllText(path).Split(' ');
        return parts.Length == 2 && long.TryParse(parts[0], CultureInfo.InvariantCulture, out var acked) && acked == segment
            && long.TryParse(parts[1], CultureInfo.InvariantCulture, out var offset) && offset <= _segments[segment]
            ? offset
            : 0;
    }

    private void WriteAck()
    {
        // Written whole then renamed, so it is either the old or the new offset; losing it only means resending.
        var path = Path.Combine(_directory, "ack");
        File.WriteAllText(path + ".tmp", string.Create(CultureInfo.InvariantCulture, $"{_readSegment} {_readOffset}"));
        File.Move(path + ".tmp", path, overwrite: true);
    }

    private string SegmentPath(long number) => Path.Combine(_directory, number.ToString("D16", CultureInfo.InvariantCulture) + Extension);
}

/// <summary>One spooled batch: where it is, and its events.</summary>
internal sealed record SpoolRecord(long Segment, long Offset, long End, IReadOnlyList<AuditEvent> Events);
