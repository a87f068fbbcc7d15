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
    /// <param name="bytes">The stream.</param>
    /// <param name="maxMessageSize">The proxy's limit.</param>
    /// <param name="fromServer">
    /// True for a server's stream: until AuthenticationOk the proxy may rewrite Authentication and ErrorResponse
    /// messages (channel binding), so it holds such a message back until it is whole.
    /// </param>
    public static FrameWalk Of(byte[] bytes, int maxMessageSize, bool fromServer = false)
    {
        var whole = new List<byte[]>();
        var position = 0;
        var loggedIn = !fromServer;
        while (bytes.Length - position >= 5)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(position + 1));
            if (length < 4 || length > maxMessageSize)
            {
                return new FrameWalk(whole, position, length, position);
            }

            if (bytes.Length - position < 1L + length)
            {
                var held = !loggedIn && bytes[position] is (byte)'R' or (byte)'E' && 1L + length <= 64 * 1024;

                // Streamed: the header and what follows go through at once; the message is never whole.
                return new FrameWalk(whole, held ? position : bytes.Length, null, position);
            }

            var message = bytes[position..(position + 1 + length)];
            whole.Add(message);
            loggedIn |= message[0] == (byte)'R' && message.Length >= 9 && BinaryPrimitives.ReadInt32BigEndian(message.AsSpan(5)) == 0;
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
