using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Tenants.Ledger.Storage;

/// <summary>
/// The framing of one journal append: a batch of consecutive entries (leaves <c>first..first+count-1</c>).
/// <code>
/// offset  size  field
///      0     4  magic "TLJ1"
///      4     8  first leaf index, big-endian
///     12     4  entry count (at least 1), big-endian
///     16     4  payload length in bytes, big-endian
///     20    32  SHA-256 over bytes 0..19 and the payload
///     52     n  payload: each entry followed by \n
/// </code>
/// A record shorter than its header says is torn (the end of a segment); a complete one whose magic, digest, count or
/// leaf index is wrong is foreign.
/// </summary>
public static class LedgerJournalRecord
{
    /// <summary>Bytes before the payload.</summary>
    public const int HeaderSize = 52;

    /// <summary>Where the SHA-256 digest starts in the header (it is 32 bytes, up to <see cref="HeaderSize"/>).</summary>
    public const int DigestOffset = 20;
    private const byte LineFeed = (byte)'\n';

    private static ReadOnlySpan<byte> Magic => "TLJ1"u8;

    /// <summary>
    /// Splits a batch into runs that each fit one record of at most <paramref name="maxRecordBytes"/> bytes, in order.
    /// </summary>
    /// <exception cref="ArgumentException">An entry is empty, contains a line feed, or alone does not fit one record.</exception>
    public static IReadOnlyList<Range> Plan(IReadOnlyList<ReadOnlyMemory<byte>> entries, int maxRecordBytes)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRecordBytes, HeaderSize + 2);
        var runs = new List<Range>();
        var start = 0;
        long size = HeaderSize;
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i].Span;
            if (entry.IsEmpty || entry.Contains(LineFeed))
            {
                throw new ArgumentException($"Journal entry {i} of the batch is empty or contains a line feed; entries are single canonical lines.", nameof(entries));
            }

            if (HeaderSize + entry.Length + 1L > maxRecordBytes)
            {
                throw new ArgumentException(
                    $"Journal entry {i} of the batch has {entry.Length} bytes; one append holds at most {maxRecordBytes - HeaderSize - 1}.", nameof(entries));
            }

            if (size + entry.Length + 1 > maxRecordBytes)
            {
                runs.Add(start..i);
                start = i;
                size = HeaderSize;
            }

            size += entry.Length + 1;
        }

        if (start < entries.Count)
        {
            runs.Add(start..entries.Count);
        }

        return runs;
    }

    /// <summary>Encodes <paramref name="entries"/> as one record whose first entry is leaf <paramref name="firstLeafIndex"/>.</summary>
    public static byte[] Encode(long firstLeafIndex, IReadOnlyList<ReadOnlyMemory<byte>> entries)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstLeafIndex);
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentOutOfRangeException.ThrowIfZero(entries.Count);
        var payloadLength = 0;
        foreach (var entry in entries)
        {
            payloadLength = checked(payloadLength + entry.Length + 1);
        }

        var record = new byte[checked(HeaderSize + payloadLength)];
        Magic.CopyTo(record);
        BinaryPrimitives.WriteInt64BigEndian(record.AsSpan(4), firstLeafIndex);
        BinaryPrimitives.WriteInt32BigEndian(record.AsSpan(12), entries.Count);
        BinaryPrimitives.WriteInt32BigEndian(record.AsSpan(16), payloadLength);
        var offset = HeaderSize;
        foreach (var entry in entries)
        {
            entry.Span.CopyTo(record.AsSpan(offset));
            offset += entry.Length;
            record[offset++] = LineFeed;
        }

        Digest(record.AsSpan(0, DigestOffset), record.AsSpan(HeaderSize), record.AsSpan(DigestOffset, SHA256.HashSizeInBytes));
        return record;
    }

    /// <summary>
    /// Rebuilds a record from its parts where a journal stores them apart (a row of a database journal: first leaf,
    /// count, payload and digest), so that <see cref="ReadSegment"/> checks it exactly as it checks an appended record.
    /// </summary>
    public static byte[] Assemble(long firstLeafIndex, int count, ReadOnlySpan<byte> digest, ReadOnlySpan<byte> payload)
    {
        if (digest.Length != SHA256.HashSizeInBytes)
        {
            throw new ArgumentException($"A journal record digest is {SHA256.HashSizeInBytes} bytes, not {digest.Length}.", nameof(digest));
        }

        var record = new byte[checked(HeaderSize + payload.Length)];
        Magic.CopyTo(record);
        BinaryPrimitives.WriteInt64BigEndian(record.AsSpan(4), firstLeafIndex);
        BinaryPrimitives.WriteInt32BigEndian(record.AsSpan(12), count);
        BinaryPrimitives.WriteInt32BigEndian(record.AsSpan(16), payload.Length);
        digest.CopyTo(record.AsSpan(DigestOffset));
        payload.CopyTo(record.AsSpan(HeaderSize));
        return record;
    }

    /// <summary>
    /// Reads every record of a segment that starts at leaf <paramref name="firstLeafIndex"/>, stopping cleanly at a torn
    /// last record.
    /// </summary>
    /// <param name="path">The segment's path, for messages.</param>
    /// <param name="firstLeafIndex">The leaf its name says it starts at.</param>
    /// <param name="content">The segment's bytes.</param>
    /// <exception cref="LedgerJournalFormatException">A foreign or corrupt record.</exception>
    public static LedgerJournalSegment ReadSegment(string path, long firstLeafIndex, ReadOnlyMemory<byte> content)
    {
        var entries = new List<LedgerJournalEntry>();
        var next = firstLeafIndex;
        var offset = 0;
        var records = 0;
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        while (offset < content.Length)
        {
            var rest = content.Span[offset..];
            var magicLength = Math.Min(rest.Length, Magic.Length);
            if (!rest[..magicLength].SequenceEqual(Magic[..magicLength]))
            {
                throw Foreign(path, offset, "no record starts here");
            }

            if (rest.Length < HeaderSize)
            {
                return new LedgerJournalSegment(entries, next, records, offset, Torn: true);
            }

            var first = BinaryPrimitives.ReadInt64BigEndian(rest[4..]);
            var count = BinaryPrimitives.ReadInt32BigEndian(rest[12..]);
            var payloadLength = BinaryPrimitives.ReadInt32BigEndian(rest[16..]);
            if (count < 1 || payloadLength < count * 2L)
            {
                throw Foreign(path, offset, $"the header declares {count} entries in {payloadLength} bytes");
            }

            if (rest.Length - HeaderSize < payloadLength)
            {
                return new LedgerJournalSegment(entries, next, records, offset, Torn: true);
            }

            var payload = content.Slice(offset + HeaderSize, payloadLength);
            Digest(rest[..DigestOffset], payload.Span, digest);
            if (!digest.SequenceEqual(rest.Slice(DigestOffset, SHA256.HashSizeInBytes)))
            {
                throw Foreign(path, offset, "its digest does not match");
            }

            if (first != next)
            {
                throw Foreign(path, offset, $"it holds leaves from {first}, the segment is at leaf {next}");
            }

            var added = entries.Count;
            while (!payload.IsEmpty)
            {
                var end = payload.Span.IndexOf(LineFeed);
                if (end <= 0)
                {
                    throw Foreign(path, offset, "an entry is empty or not ended by a line feed");
                }

                entries.Add(new LedgerJournalEntry(next++, payload[..end]));
                payload = payload[(end + 1)..];
            }

            if (entries.Count - added != count)
            {
                throw Foreign(path, offset, $"the header declares {count} entries, the payload holds {entries.Count - added}");
            }

            offset += HeaderSize + payloadLength;
            records++;
        }

        return new LedgerJournalSegment(entries, next, records, offset, Torn: false);
    }

    private static void Digest(ReadOnlySpan<byte> header, ReadOnlySpan<byte> payload, Span<byte> destination)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(header);
        hash.AppendData(payload);
        hash.GetHashAndReset(destination);
    }

    private static LedgerJournalFormatException Foreign(string path, int offset, string why) =>
        new($"{path}: foreign or corrupt journal record at byte {offset}: {why}");
}
