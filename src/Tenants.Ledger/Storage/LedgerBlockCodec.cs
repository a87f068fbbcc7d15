using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.InteropServices;

namespace Tenants.Ledger.Storage;

/// <summary>
/// The stored form of a block: one gzip member (RFC 1952) of the entry lines. Hashes cover the uncompressed entries, so
/// the compression level can change without touching anything a verifier checks. Decompression is bounded: a blob
/// cannot make a reader allocate more than <see cref="MaxContentBytes"/> of its declared entry count.
/// </summary>
public static class LedgerBlockCodec
{
    /// <summary>
    /// The largest entry a block may hold, in bytes (16 MiB): the edge captures at most 1 MiB of SQL by default, and JSON
    /// escaping can grow it several times (a control character becomes <c>\u00XX</c>).
    /// </summary>
    public const int MaxEntryBytes = 16 << 20;

    /// <summary>
    /// The largest uncompressed block, in bytes (512 MiB), whatever its entry count: the bound on what one stored blob
    /// can make a reader allocate.
    /// </summary>
    public const int MaxBlockBytes = 512 << 20;

    /// <summary>
    /// The writer's compression level: <see cref="CompressionLevel.Optimal"/>. On realistic statement entries it stores
    /// about a third fewer bytes than <see cref="CompressionLevel.Fastest"/> (47 against 69 bytes per entry) and still
    /// compresses 250-330 MB/s of entries on one core, about half a million entries per second, far above one ledger's
    /// rate; decompression speed is the same. Readers accept any level. Measured by
    /// <c>bench/ledger-storage --compare-levels</c> (docs/benchmarks.md).
    /// </summary>
    public const CompressionLevel Level = CompressionLevel.Optimal;

    private const int MinimumGzipLength = 18;

    /// <summary>
    /// The most uncompressed bytes a block of <paramref name="entryCount"/> entries may hold: each entry at most
    /// <see cref="MaxEntryBytes"/> plus its line feed, and never more than <see cref="MaxBlockBytes"/>.
    /// </summary>
    public static int MaxContentBytes(long entryCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(entryCount);
        return (int)Math.Min(MaxBlockBytes, entryCount * (MaxEntryBytes + 1L));
    }

    /// <summary>Compresses block content (the entry lines) into its stored form.</summary>
    public static byte[] Compress(ReadOnlySpan<byte> content)
    {
        using var output = new MemoryStream((content.Length / 4) + 64);
        using (var gzip = new GZipStream(output, Level, leaveOpen: true))
        {
            gzip.Write(content);
        }

        return output.ToArray();
    }

    /// <summary>
    /// Decompresses a stored block, reading at most <paramref name="maxBytes"/> bytes of content.
    /// </summary>
    /// <exception cref="LedgerBlockFormatException">Not gzip, corrupt, truncated, more than one member, trailing bytes,
    /// or more than <paramref name="maxBytes"/> bytes of content.</exception>
    public static byte[] Decompress(ReadOnlyMemory<byte> stored, int maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        var span = stored.Span;
        if (span.Length < MinimumGzipLength || span[0] != 0x1f || span[1] != 0x8b || span[2] != 0x08)
        {
            throw new LedgerBlockFormatException("not a gzip stream");
        }

        // The gzip trailer's ISIZE is the content length mod 2^32; blocks are far below 4 GiB, so it is exact. Checking
        // it catches a truncated stream, which .NET's GZipStream reads to a silent early end, and a stream with bytes
        // appended, which it ignores.
        var declared = BinaryPrimitives.ReadUInt32LittleEndian(span[^4..]);
        if (declared > (uint)maxBytes)
        {
            throw new LedgerBlockFormatException($"declares {declared} bytes of content, more than the {maxBytes} a block of its size may hold");
        }

        var content = new byte[(int)declared];
        var length = 0;
        try
        {
            var source = MemoryMarshal.TryGetArray(stored, out var segment)
                ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
                : new MemoryStream(stored.ToArray(), writable: false);
            using var gzip = new GZipStream(source, CompressionMode.Decompress);
            while (length < content.Length)
            {
                var read = gzip.Read(content, length, content.Length - length);
                if (read == 0)
                {
                    break;
                }

                length += read;
            }

            // One more byte than declared means the trailer lies (or a second member follows): never read further.
            Span<byte> probe = stackalloc byte[1];
            if (length == content.Length && gzip.Read(probe) != 0)
            {
                throw new LedgerBlockFormatException($"decompresses to more than the {declared} bytes its trailer declares");
            }
        }
        catch (InvalidDataException ex)
        {
            throw new LedgerBlockFormatException("corrupt gzip stream: " + ex.Message, ex);
        }

        if (length != content.Length)
        {
            throw new LedgerBlockFormatException($"truncated gzip stream: {length} bytes of content, the trailer declares {declared}");
        }

        return content;
    }
}
