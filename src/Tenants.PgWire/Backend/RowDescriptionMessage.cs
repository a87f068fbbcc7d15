using System.Buffers;

namespace Tenants.PgWire.Backend;

/// <summary>RowDescription: the columns of the rows that follow.</summary>
public sealed record RowDescriptionMessage(IReadOnlyList<RowField> Fields)
{
    /// <summary>Parses the body (without the header). False for a body that is cut or malformed.</summary>
    public static bool TryParse(in ReadOnlySequence<byte> body, out RowDescriptionMessage? message)
    {
        message = null;
        var reader = new SequenceReader<byte>(body);
        if (!reader.TryReadBigEndian(out short count) || count < 0)
        {
            return false;
        }

        var fields = new List<RowField>(count);
        for (var i = 0; i < count; i++)
        {
            if (!PgReader.TryReadCString(ref reader, out var name)
                || !reader.TryReadBigEndian(out int table)
                || !reader.TryReadBigEndian(out short attnum)
                || !reader.TryReadBigEndian(out int type)
                || !reader.TryReadBigEndian(out short _)
                || !reader.TryReadBigEndian(out int _)
                || !reader.TryReadBigEndian(out short format))
            {
                return false;
            }

            fields.Add(new RowField(name, unchecked((uint)table), attnum, unchecked((uint)type), format));
        }

        message = new RowDescriptionMessage(fields);
        return true;
    }
}
