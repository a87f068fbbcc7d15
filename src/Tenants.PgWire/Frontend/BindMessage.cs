using System.Buffers;

namespace Tenants.PgWire.Frontend;

/// <summary>
/// Extended protocol Bind: which statement a portal runs, and the parameter values (copied out of the buffer; null
/// for SQL NULL) with their format codes (0 text, 1 binary). <see cref="Complete"/> is false when the body was cut
/// short (a capture limit), in which case the values read so far are kept.
/// </summary>
public sealed record BindMessage(string PortalName, string StatementName, IReadOnlyList<short> Formats, IReadOnlyList<byte[]?> Values, bool Complete)
{
    /// <summary>The format code of parameter <paramref name="index"/> (one code for all, or one each, or text).</summary>
    public short FormatOf(int index) => Formats.Count switch
    {
        0 => 0,
        1 => Formats[0],
        _ => index < Formats.Count ? Formats[index] : (short)0,
    };

    public static bool TryParse(in ReadOnlySequence<byte> body, out BindMessage? message)
    {
        var reader = new SequenceReader<byte>(body);
        message = null;
        if (!PgReader.TryReadCString(ref reader, out var portal) || !PgReader.TryReadCString(ref reader, out var statement))
        {
            return false;
        }

        var formats = new List<short>();
        var values = new List<byte[]?>();
        var complete = false;
        if (reader.TryReadBigEndian(out short formatCount) && formatCount >= 0)
        {
            var i = 0;
            for (; i < formatCount && reader.TryReadBigEndian(out short format); i++)
            {
                formats.Add(format);
            }

            if (i == formatCount && reader.TryReadBigEndian(out short valueCount) && valueCount >= 0)
            {
                complete = ReadValues(ref reader, valueCount, values);
            }
        }

        message = new BindMessage(portal, statement, formats, values, complete);
        return true;
    }

    private static bool ReadValues(ref SequenceReader<byte> reader, short count, List<byte[]?> values)
    {
        for (var i = 0; i < count; i++)
        {
            if (!reader.TryReadBigEndian(out int length))
            {
                return false;
            }

            if (length < 0)
            {
                values.Add(null);
                continue;
            }

            if (reader.Remaining < length)
            {
                return false;
            }

            values.Add(reader.UnreadSequence.Slice(0, length).ToArray());
            reader.Advance(length);
        }

        return true;
    }
}
