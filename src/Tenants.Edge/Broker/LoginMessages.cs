using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Tenants.PgWire;

namespace Tenants.Edge.Broker;

/// <summary>
/// Whole messages read from and written to a pipe during a brokered login, before the relay starts. A message is
/// length-checked before anything is allocated for it, and can be left unread (<see cref="PeekAsync"/>), so the relay
/// forwards it as if the proxy had never looked.
/// </summary>
internal static class LoginMessages
{
    /// <summary>The next message, consumed; null when the peer closed first.</summary>
    /// <exception cref="UpstreamLoginException">A length out of bounds.</exception>
    public static ValueTask<(byte Code, byte[] Body)?> ReadAsync(PipeReader input, int maxLength, CancellationToken cancellationToken) =>
        NextAsync(input, maxLength, consume: true, cancellationToken);

    /// <summary>
    /// The next message, left unread for whoever reads the pipe next (the relay forwards it as if the proxy had never
    /// looked); null when the peer closed first.
    /// </summary>
    public static ValueTask<(byte Code, byte[] Body)?> PeekAsync(PipeReader input, int maxLength, CancellationToken cancellationToken) =>
        NextAsync(input, maxLength, consume: false, cancellationToken);

    private static async ValueTask<(byte Code, byte[] Body)?> NextAsync(PipeReader input, int maxLength, bool consume, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            if (MessageHeader.TryPeek(buffer, out var header))
            {
                if (header.Length < 4 || header.Length > maxLength)
                {
                    input.AdvanceTo(buffer.Start);
                    throw new UpstreamLoginException($"invalid message length {header.Length} during login", PostgresErrorCodes.ProtocolViolation);
                }

                if (buffer.Length >= header.TotalLength)
                {
                    var body = buffer.Slice(MessageHeader.Size, header.BodyLength).ToArray();
                    // Left unread, nothing counts as examined either, so the next read returns at once.
                    input.AdvanceTo(consume ? buffer.GetPosition(header.TotalLength) : buffer.Start);
                    return (header.Code, body);
                }
            }

            input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                return null;
            }
        }
    }

    /// <summary>Writes a message: code, length, then the parts in order.</summary>
    public static void Write(IBufferWriter<byte> output, byte code, params ReadOnlySpan<byte[]> parts)
    {
        var length = 4;
        foreach (var part in parts)
        {
            length += part.Length;
        }

        var span = output.GetSpan(1 + length);
        span[0] = code;
        BinaryPrimitives.WriteInt32BigEndian(span[1..], length);
        var position = 5;
        foreach (var part in parts)
        {
            part.CopyTo(span[position..]);
            position += part.Length;
        }

        output.Advance(1 + length);
    }

    /// <summary>A 32-bit big-endian integer.</summary>
    public static byte[] Int32(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, value);
        return bytes;
    }
}
