using System.Buffers;
using System.Text;

namespace Tenants.PgWire;

/// <summary>Small helpers over <see cref="SequenceReader{T}"/> for protocol fields.</summary>
public static class PgReader
{
    /// <summary>
    /// Reads a NUL-terminated UTF-8 string. Without a terminator it returns false and gives the rest of the bytes as
    /// <paramref name="value"/> (what a capture cut at its limit still holds).
    /// </summary>
    public static bool TryReadCString(ref SequenceReader<byte> reader, out string value)
    {
        if (!reader.TryReadTo(out ReadOnlySequence<byte> bytes, 0))
        {
            value = Encoding.UTF8.GetString(reader.UnreadSequence);
            reader.AdvanceToEnd();
            return false;
        }

        value = bytes.IsSingleSegment ? Encoding.UTF8.GetString(bytes.FirstSpan) : Encoding.UTF8.GetString(bytes);
        return true;
    }

    /// <summary>
    /// Reads an Int16 count and that many Int16 format codes (Bind, FunctionCall) into <paramref name="formats"/>.
    /// False if the bytes end first or the count is negative.
    /// </summary>
    public static bool TryReadFormatCodes(ref SequenceReader<byte> reader, List<short> formats)
    {
        if (!reader.TryReadBigEndian(out short count) || count < 0)
        {
            return false;
        }

        for (var i = 0; i < count; i++)
        {
            if (!reader.TryReadBigEndian(out short format))
            {
                return false;
            }

            formats.Add(format);
        }

        return true;
    }

    /// <summary>
    /// Reads an Int16 count and that many Int32-length-prefixed values (-1 is SQL NULL), copied out of the buffer,
    /// into <paramref name="values"/>. False if the bytes end first (the values read so far stay in the list).
    /// </summary>
    public static bool TryReadValues(ref SequenceReader<byte> reader, List<byte[]?> values)
    {
        if (!reader.TryReadBigEndian(out short count) || count < 0)
        {
            return false;
        }

        for (var i = 0; i < count; i++)
        {
            if (!reader.TryReadBigEndian(out int length))
            {
                return false;
            }

            if (length < 0)
            {
                values.Add(null);
                continue;
            }

            if (reader.Remaining < length)
            {
                return false;
            }

            values.Add(reader.UnreadSequence.Slice(0, length).ToArray());
            reader.Advance(length);
        }

        return true;
    }

    /// <summary>The format code of value <paramref name="index"/>: none given means text, one applies to all, else one each.</summary>
    public static short FormatOf(IReadOnlyList<short> formats, int index) => formats.Count switch
    {
        0 => 0,
        1 => formats[0],
        _ => index < formats.Count ? formats[index] : (short)0,
    };
}
