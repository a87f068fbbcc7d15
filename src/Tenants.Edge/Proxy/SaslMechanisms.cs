using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Tenants.PgWire;
using Tenants.PgWire.Backend;

namespace Tenants.Edge.Proxy;

/// <summary>
/// Channel binding (SCRAM-SHA-256-PLUS) binds authentication to the TLS session it runs in. Through this proxy the
/// client's TLS session ends at the proxy and the server's (if any) starts there, so a binding could never verify:
/// the mechanisms are relayed without the <c>-PLUS</c> variants, and clients choose plain SCRAM-SHA-256.
/// </summary>
internal static class SaslMechanisms
{
    private const string ChannelBindingSuffix = "-PLUS";

    /// <summary>Writes <paramref name="message"/> unchanged unless it is an AuthenticationSASL offering -PLUS mechanisms.</summary>
    public static void WithoutChannelBinding(in ReadOnlySequence<byte> message, IBufferWriter<byte> output)
    {
        var reader = new SequenceReader<byte>(message);
        reader.Advance(MessageHeader.Size);
        if (!reader.TryReadBigEndian(out int code) || code != AuthenticationMessage.Sasl)
        {
            Copy(message, output);
            return;
        }

        var kept = new List<string>();
        var removed = false;
        while (PgReader.TryReadCString(ref reader, out var mechanism) && mechanism.Length > 0)
        {
            if (mechanism.EndsWith(ChannelBindingSuffix, StringComparison.Ordinal))
            {
                removed = true;
            }
            else
            {
                kept.Add(mechanism);
            }
        }

        if (!removed || kept.Count == 0)
        {
            Copy(message, output);
            return;
        }

        // code(1) + length(4) + request code(4) + each "name\0" + final '\0'
        var length = 4 + 4 + 1 + kept.Sum(m => Encoding.UTF8.GetByteCount(m) + 1);
        var span = output.GetSpan(1 + length);
        span[0] = BackendMessageCode.Authentication;
        BinaryPrimitives.WriteInt32BigEndian(span[1..], length);
        BinaryPrimitives.WriteInt32BigEndian(span[5..], AuthenticationMessage.Sasl);
        var position = 9;
        foreach (var mechanism in kept)
        {
            position += Encoding.UTF8.GetBytes(mechanism, span[position..]);
            span[position++] = 0;
        }

        span[position] = 0;
        output.Advance(1 + length);
    }

    private static void Copy(in ReadOnlySequence<byte> message, IBufferWriter<byte> output)
    {
        foreach (var segment in message)
        {
            output.Write(segment.Span);
        }
    }
}
