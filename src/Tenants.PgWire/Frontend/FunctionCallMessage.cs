using System.Buffers;

namespace Tenants.PgWire.Frontend;

/// <summary>FunctionCall (the fast-path interface, used by large objects): a function OID and its arguments.</summary>
public sealed record FunctionCallMessage(uint FunctionOid, IReadOnlyList<short> Formats, IReadOnlyList<byte[]?> Arguments)
{
    public short FormatOf(int index) => PgReader.FormatOf(Formats, index);

    public static bool TryParse(in ReadOnlySequence<byte> body, out FunctionCallMessage? message)
    {
        message = null;
        var reader = new SequenceReader<byte>(body);
        var formats = new List<short>();
        var arguments = new List<byte[]?>();
        if (!reader.TryReadBigEndian(out int oid)
            || !PgReader.TryReadFormatCodes(ref reader, formats)
            || !PgReader.TryReadValues(ref reader, arguments))
        {
            return false;
        }

        message = new FunctionCallMessage(unchecked((uint)oid), formats, arguments);
        return true;
    }
}
