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
}
