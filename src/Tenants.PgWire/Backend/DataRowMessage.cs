using System.Buffers;
using System.Buffers.Binary;

namespace Tenants.PgWire.Backend;

/// <summary>DataRow: one row of values (null for SQL NULL), each in the format its RowDescription field says.</summary>
public static class DataRowMessage
{
    /// <summary>Reads the values of a DataRow body (without the header). False for a body that is cut or malformed.</summary>
    public static bool TryParse(in ReadOnlySequence<byte> body, List<byte[]?> values)
    {
        var reader = new SequenceReader<byte>(body);
        return PgReader.TryReadValues(ref reader, values) && reader.End;
    }

    /// <summary>Writes a whole DataRow message (header included).</summary>
    public static void Write(IBufferWriter<byte> output, IReadOnlyList<byte[]?> values)
    {
        var length = 4 + 2;
        foreach (var value in values)
        {
            length += 4 + (value?.Length ?? 0);
        }

        var span = output.GetSpan(1 + length);
        span[0] = BackendMessageCode.DataRow;
        BinaryPrimitives.WriteInt32BigEndian(span[1..], length);
        BinaryPrimitives.WriteInt16BigEndian(span[5..], (short)values.Count);
        var at = 7;
        foreach (var value in values)
        {
            BinaryPrimitives.WriteInt32BigEndian(span[at..], value?.Length ?? -1);
            at += 4;
            if (value is not null)
            {
                value.CopyTo(span[at..]);
                at += value.Length;
            }
        }

        output.Advance(at);
    }

    /// <summary>Writes a DataRow of <paramref name="columns"/> NULLs (header included).</summary>
    public static void WriteNulls(IBufferWriter<byte> output, int columns) => Write(output, new byte[]?[columns]);
}
