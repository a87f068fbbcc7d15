using System.Buffers;
using System.Buffers.Binary;
using Tenants.PgWire.Backend;

namespace Tenants.Edge.Tests.Proxy.Fuzz;

/// <summary>
/// What a correct relay does with a stream of typed messages: which whole messages go through, and whether it must
/// stop at a bad length (below 4 or above the limit) before forwarding any of that message.
/// </summary>
internal sealed record FrameWalk(IReadOnlyList<byte[]> Whole, int ForwardableBytes, int? InvalidLength, int ValidPrefixBytes)
{
    public static FrameWalk Of(byte[] bytes, int maxMessageSize)
    {
        var whole = new List<byte[]>();
        var position = 0;
        while (bytes.Length - position >= 5)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(position + 1));
            if (length < 4 || length > maxMessageSize)
            {
                return new FrameWalk(whole, position, length, position);
            }

            if (bytes.Length - position < 1L + length)
            {
                // Streamed: the header and what follows go through at once; the message is never whole.
                return new FrameWalk(whole, bytes.Length, null, position);
            }

            whole.Add(bytes[position..(position + 1 + length)]);
            position += 1 + length;
        }

        // A partial header (fewer than five bytes) is held back until more bytes arrive.
        return new FrameWalk(whole, position, null, position);
    }

    /// <summary>The FATAL ErrorResponse the proxy sends for a protocol violation.</summary>
    public static byte[] Fatal(string sqlState, string message)
    {
        var writer = new ArrayBufferWriter<byte>();
        ErrorResponseWriter.Write(writer, "FATAL", sqlState, message);
        return writer.WrittenSpan.ToArray();
    }
}
