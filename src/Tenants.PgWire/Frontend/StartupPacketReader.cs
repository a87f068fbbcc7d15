using System.Buffers;
using System.Text;

namespace Tenants.PgWire.Frontend;

/// <summary>Reads untyped startup-phase packets. Lengths are checked before anything is allocated.</summary>
public static class StartupPacketReader
{
    /// <summary>
    /// Tries to read one startup-phase packet. On <see cref="StartupParseStatus.Complete"/> the reader is advanced
    /// past it; on <see cref="StartupParseStatus.NeedMoreData"/> the reader is left where it was.
    /// </summary>
    public static StartupParseStatus TryRead(ref SequenceReader<byte> reader, out StartupPacket? packet)
    {
        packet = null;
        var start = reader.Consumed;
        if (!reader.TryReadBigEndian(out int length) || !reader.TryReadBigEndian(out int code))
        {
            reader.Rewind(reader.Consumed - start);
            return StartupParseStatus.NeedMoreData;
        }

        if (length < 8 || length > ProtocolCodes.MaxStartupPacketLength)
        {
            packet = Invalid($"invalid length of startup packet: {length}");
            return StartupParseStatus.Invalid;
        }

        if (reader.Remaining < length - 8)
        {
            reader.Rewind(reader.Consumed - start);
            return StartupParseStatus.NeedMoreData;
        }

        var body = reader.UnreadSequence.Slice(0, length - 8);
        reader.Advance(length - 8);

        switch (code)
        {
            case ProtocolCodes.SslRequest when length == 8:
                packet = new StartupPacket { Kind = StartupPacketKind.SslRequest };
                return StartupParseStatus.Complete;
            case ProtocolCodes.GssEncRequest when length == 8:
                packet = new StartupPacket { Kind = StartupPacketKind.GssEncRequest };
                return StartupParseStatus.Complete;
            case ProtocolCodes.CancelRequest when length >= 16 && length <= 8 + 4 + 256:
                packet = new StartupPacket { Kind = StartupPacketKind.CancelRequest, CancelKey = body.ToArray() };
                return StartupParseStatus.Complete;
            case ProtocolCodes.SslRequest or ProtocolCodes.GssEncRequest or ProtocolCodes.CancelRequest:
                packet = Invalid($"invalid length of startup packet: {length}");
                return StartupParseStatus.Invalid;
        }

        if (code >> 16 != 3)
        {
            packet = Invalid($"unsupported frontend protocol {code >> 16}.{code & 0xFFFF}: server supports 3.0 to 3.2");
            return StartupParseStatus.Invalid;
        }

        return TryReadParameters(body, code, out packet);
    }

    private static StartupParseStatus TryReadParameters(ReadOnlySequence<byte> body, int version, out StartupPacket packet)
    {
        var reader = new SequenceReader<byte>(body);
        var parameters = new List<KeyValuePair<string, string>>();
        while (true)
        {
            if (!reader.TryReadTo(out ReadOnlySequence<byte> nameBytes, 0))
            {
                packet = Invalid("startup packet parameters are not terminated");
                return StartupParseStatus.Invalid;
            }

            if (nameBytes.Length == 0)
            {
                break;
            }

            if (!reader.TryReadTo(out ReadOnlySequence<byte> valueBytes, 0))
            {
                packet = Invalid("startup packet has a parameter without a value");
                return StartupParseStatus.Invalid;
            }

            // Latin-1 maps every byte to one char and back, so parameters are forwarded byte for byte whatever their
            // encoding (a client may send LATIN1 names); StartupPacket.Text gives the UTF-8 reading for display.
            parameters.Add(new(Encoding.Latin1.GetString(nameBytes), Encoding.Latin1.GetString(valueBytes)));
        }

        if (reader.Remaining != 0)
        {
            packet = Invalid("startup packet has bytes after its terminator");
            return StartupParseStatus.Invalid;
        }

        packet = new StartupPacket { Kind = StartupPacketKind.Startup, ProtocolVersion = version, Parameters = parameters };
        return StartupParseStatus.Complete;
    }

    private static StartupPacket Invalid(string error) => new() { Kind = StartupPacketKind.Startup, Error = error };
}
