using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Tenants.PgWire.Frontend;

/// <summary>
/// Writes a StartupMessage. Parameters are strings read by <see cref="StartupPacketReader"/> (one char per byte), so
/// they are written back byte for byte.
/// </summary>
public static class StartupMessageWriter
{
    public static void Write(IBufferWriter<byte> writer, int protocolVersion, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var list = parameters as IReadOnlyCollection<KeyValuePair<string, string>> ?? parameters.ToList();

        // length(4) + version(4) + each "name\0value\0" + final '\0'
        var length = 4 + 4 + 1;
        foreach (var (name, value) in list)
        {
            length += Encoding.Latin1.GetByteCount(name) + 1 + Encoding.Latin1.GetByteCount(value) + 1;
        }

        var span = writer.GetSpan(length);
        BinaryPrimitives.WriteInt32BigEndian(span, length);
        BinaryPrimitives.WriteInt32BigEndian(span[4..], protocolVersion);
        var position = 8;
        foreach (var (name, value) in list)
        {
            position += Encoding.Latin1.GetBytes(name, span[position..]);
            span[position++] = 0;
            position += Encoding.Latin1.GetBytes(value, span[position..]);
            span[position++] = 0;
        }

        span[position] = 0;
        writer.Advance(length);
    }
}
