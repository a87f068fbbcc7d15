using System.Buffers;

namespace Tenants.PgWire.Frontend;

/// <summary>FunctionCall (the fast-path interface, used by large objects): a function OID and its arguments.</summary>
public sealed record FunctionCallMessage(uint FunctionOid, IReadOnlyList<short> Formats, IReadOnlyList<byte[]?> Arguments)
{
    public short FormatOf(int index) => Formats.Count switch
    {
        0 => 0,
        1 => Formats[0],
        _ => index < Formats.Count ? Formats[index] : (short)0,
    };

    public static bool TryParse(in ReadOnlySequence<byte> body, out FunctionCallMessage? message)
    {
        message = null;
        var reader = new SequenceReader<byte>(body);
        if (!reader.TryReadBigEndian(out int oid) || !reader.TryReadBigEndian(out short formatCount) || formatCount < 0)
        {
            return false;
        }

        var formats = new List<short>();
        for (var i = 0; i < formatCount; i++)
        {
            if (!reader.TryReadBigEndian(out short format))
            {
                return false;
            }

            formats.Add(format);
        }

        if (!reader.TryReadBigEndian(out short argumentCount) || argumentCount < 0)
        {
            return false;
        }

        var arguments = new List<byte[]?>();
        for (var i = 0; i < argumentCount; i++)
        {
            if (!reader.TryReadBigEndian(out int length))
            {
                return false;
            }

            if (length < 0)
            {
                arguments.Add(null);
                continue;
            }

            if (reader.Remaining < length)
            {
                return false;
            }

            arguments.Add(reader.UnreadSequence.Slice(0, length).ToArray());
            reader.Advance(length);
        }

        message = new FunctionCallMessage(unchecked((uint)oid), formats, arguments);
        return true;
    }
}
