using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Tenants.PgWire;
using Tenants.PgWire.Backend;

namespace Tenants.Edge.Proxy;

/// <summary>
/// A client on TLS to the proxy that supports channel binding tells the server so (SCRAM flag 'y') when no -PLUS
/// mechanism is offered; a server that is itself on TLS then refuses the login as a possible downgrade. The server's
/// error is relayed with a hint that says what to do, since the cause is the proxy and not the client.
/// </summary>
internal static class ChannelBindingHint
{
    public const string Hint =
        "The audit proxy terminates TLS, so SCRAM channel binding cannot reach the database. Connect with channel_binding=disable, or use brokered credentials for this endpoint.";

    /// <summary>Writes <paramref name="message"/>, adding <see cref="Hint"/> if it is the channel-binding refusal.</summary>
    public static void Apply(in ReadOnlySequence<byte> message, IBufferWriter<byte> output)
    {
        var body = message.Slice(MessageHeader.Size);
        if (!ErrorResponseMessage.TryParse(body, out var error)
            || !error.Message.Contains("channel binding", StringComparison.OrdinalIgnoreCase))
        {
            foreach (var segment in message)
            {
                output.Write(segment.Span);
            }

            return;
        }

        // Same fields, minus the final terminator, plus the hint.
        var fields = body.Slice(0, body.Length - 1).ToArray();
        var hint = Encoding.UTF8.GetBytes(Hint);
        var length = 4 + fields.Length + 1 + hint.Length + 1 + 1;
        var span = output.GetSpan(1 + length);
        span[0] = BackendMessageCode.ErrorResponse;
        BinaryPrimitives.WriteInt32BigEndian(span[1..], length);
        fields.CopyTo(span[5..]);
        var position = 5 + fields.Length;
        span[position++] = (byte)'H';
        hint.CopyTo(span[position..]);
        position += hint.Length;
        span[position++] = 0;
        span[position] = 0;
        output.Advance(1 + length);
    }
}
