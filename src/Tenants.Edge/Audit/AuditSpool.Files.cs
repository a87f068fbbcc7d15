using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;
using System.Text.Json;
using Tenants.Abstractions.Audit;

namespace Tenants.Edge.Audit;

/// <summary>The segment files: opening them (and cutting a torn tail), starting one, reading a record, the <c>ack</c> file.</summary>
internal sealed partial class AuditSpool
{
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
